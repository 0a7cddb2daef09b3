/*
 * The knowledge section's few OpenAI Files / Vector Stores calls, made from the harness with fetch
 * (loopback, keep-alive). Every call checks its status and fails loudly: the benchmark aborts on any
 * failed request. The load runs at a fixed rate go through the open-loop generator instead.
 */

export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

interface VectorStore {
  id: string;
  status: string;
  file_counts: FileCounts;
}

const CALL_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call<T>(label: string, url: string, init: RequestInit & { headers: Record<string, string> }): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const json = (headers: Record<string, string>, body: unknown) => ({ method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

export class KnowledgeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** `POST /v1/files` (multipart, purpose `assistants`); the file id. */
  async upload(name: string, bytes: Buffer): Promise<string> {
    const form = new FormData();
    form.append('purpose', 'assistants');
    form.append('file', new Blob([bytes], { type: 'text/markdown' }), name);
    const file = await call<{ id: string }>(`upload ${name}`, `${this.baseUrl}/v1/files`, { method: 'POST', headers: this.headers, body: form });
    return file.id;
  }

  /** `POST /v1/vector_stores` with `file_ids` (ingestion starts at once, in the embedder). */
  createStore(name: string, fileIds: string[]): Promise<VectorStore> {
    return call<VectorStore>(`create store ${name}`, `${this.baseUrl}/v1/vector_stores`, json(this.headers, { name, file_ids: fileIds }));
  }

  getStore(id: string): Promise<VectorStore> {
    return call<VectorStore>(`get store ${id}`, `${this.baseUrl}/v1/vector_stores/${id}`, { headers: this.headers });
  }

  /**
   * Polls `GET /v1/vector_stores/{id}` every `pollMs` until `file_counts.in_progress` is 0 or the
   * deadline passes; `seconds` is from the call until the poll that saw it done (or the deadline).
   */
  async waitForIngestion(id: string, deadlineMs: number, pollMs: number): Promise<{ seconds: number; counts: FileCounts; status: string; polls: number; complete: boolean }> {
    const started = performance.now();
    for (let polls = 1; ; polls++) {
      const store = await this.getStore(id);
      const complete = store.file_counts.in_progress === 0;
      if (complete || performance.now() - started >= deadlineMs) return { seconds: (performance.now() - started) / 1000, counts: store.file_counts, status: store.status, polls, complete };
      await sleep(pollMs);
    }
  }

  /** `POST /v1/vector_stores/{id}/search`: its latency and the file name of the best result. */
  async search(id: string, query: string, maxResults: number): Promise<{ ms: number; top: string | undefined }> {
    const started = performance.now();
    const page = await call<{ data: Array<{ filename: string }> }>('search', `${this.baseUrl}/v1/vector_stores/${id}/search`, json(this.headers, { query, max_num_results: maxResults }));
    return { ms: performance.now() - started, top: page.data[0]?.filename };
  }
}

/** A chat request body for one question, with or without `rag_collection` (the store's id). */
export function questionChatBody(model: string, question: string, ragCollection?: string): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: question }], ...(ragCollection ? { rag_collection: ragCollection } : {}) });
}

/** A search request body for one question. */
export const searchBody = (question: string, maxResults: number) => JSON.stringify({ query: question, max_num_results: maxResults });
