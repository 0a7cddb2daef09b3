import { copyName, type Corpus } from './knowledge-corpus.js';
import { KnowledgeClient, questionChatBody, searchBody, type FileCounts } from './knowledge-client.js';
import { runOpenLoop } from './load-runs.js';
import { MOCK_MODEL } from './mock-content.js';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop.js';
import { measure, mockStats, PLAN, QUICK, type PhaseContext, type RunningSystem, type RunRecord } from './phases.js';
import { rssMiB } from './proc-stats.js';
import type { SystemId } from './systems.js';

/*
 * The knowledge section: the Files / Vector Stores API and RAG in chat, on every AILB system that runs
 * an embedder, after the side-by-side phases (so those ran with the embedder started but idle, its model
 * not yet loaded). Per system: a one-file warm-up store (loads the embedding model), then the measured
 * ingestion of N copies of the QA corpus, search latency (sequential, then at a fixed rate), and chat at
 * a fixed low rate with and without `rag_collection` against the same mock (and the mock alone as the
 * baseline). Every run is wrapped by `measure` (CPU per process, including the Chroma server the
 * embedder started, and how busy the machine was); runs are not repeated when the machine was busy
 * (an ingestion cannot be), they are flagged.
 */

export const KNOWLEDGE_PLAN = {
  /** Copies of the 29-article corpus ingested (distinct file names) into the measured store. */
  copies: QUICK ? 1 : 2,
  uploadConcurrency: 4,
  ingestDeadlineMs: QUICK ? 60_000 : 150_000,
  pollMs: 250,
  /** Sequential searches: every held-out question, this many times. */
  searchPasses: QUICK ? 1 : 2,
  maxResults: 4,
  // A search or a RAG chat request costs ~0.1 s of CPU (query embedding, Chroma queries, hybrid
  // ranking): 20/s saturates two cores and most RAG requests miss the 500 ms retrieval deadline. 5/s is
  // a load the machine sustains, for latency rather than capacity.
  searchRate: 5,
  searchWarmup: 5,
  searchCount: QUICK ? 30 : 100,
  chatRate: 5,
  chatWarmup: 5,
  chatCount: QUICK ? 30 : 100,
};

export interface IngestionValue {
  files: number;
  bytes: number;
  /** From the chunker over the corpus: chunks, passages and distinct embedded texts of all copies. */
  chunks: number;
  passages: number;
  embeddedTexts: number;
  /** Store creation (with every file id) until a poll saw `in_progress` 0. */
  seconds: number;
  /** How long `POST /v1/vector_stores` with every file id took to answer. */
  createMs: number;
  complete: boolean;
  counts: FileCounts;
  status: string;
  polls: number;
}

export interface ChatValue extends OpenLoopResult {
  /** Mock calls during the run that carried a system message starting `<ailb-context`. */
  contextCalls: number;
}

export interface KnowledgeRuns {
  system: SystemId;
  storeId: string;
  /** The one-file warm-up store: upload, create, ingested (the first embedding loads the model). */
  coldStartSeconds: number;
  upload: RunRecord<{ files: number; bytes: number; seconds: number }>;
  ingestion: RunRecord<IngestionValue>;
  searchSequential: RunRecord<{ latencyMs: number[]; topFromExpectedArticle: number }>;
  searchRate: RunRecord<OpenLoopResult>;
  chatPlain: RunRecord<ChatValue>;
  chatRag: RunRecord<ChatValue>;
  /** RSS of the system's processes after its knowledge runs (the model loaded, the store filled). */
  rssMiB: Record<string, number>;
}

export interface KnowledgeSection {
  plan: typeof KNOWLEDGE_PLAN;
  corpus: Corpus['perCopy'] & { questions: number };
  /** The mock called directly at the chat rate, with the same questions: the baseline of added latency. */
  chatDirect: RunRecord<ChatValue>;
  systems: KnowledgeRuns[];
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function pooled<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

const chatPath = '/v1/chat/completions';

/** An open-loop run with one body per question, failing the benchmark on any failed answer. */
function openLoop(label: string, options: Omit<OpenLoopOptions, 'body' | 'timeoutMs'> & { bodies: string[] }) {
  return async () => {
    const value = await runOpenLoop({ ...options, body: options.bodies[0]!, timeoutMs: PLAN.requestTimeoutMs });
    if (value.failures > 0) throw new Error(`${label}: ${value.failures} failed requests at ${options.rate} req/s: ${value.failureSamples.join(' | ')}`);
    return { value, requestsSent: options.warmup + options.count, generatorCpuMs: value.processCpuMs };
  };
}

/** A chat run at the plan's rate (one question after another), counting the mock's context calls. */
async function chatRun(context: KnowledgeContext, system: RunningSystem, label: string, ragStore?: string): Promise<RunRecord<ChatValue>> {
  const plan = KNOWLEDGE_PLAN;
  const bodies = context.corpus.questions.map((question) => questionChatBody(MOCK_MODEL, question.question, ragStore));
  const before = await mockStats(context.mockUrl);
  const run = openLoop(label, { url: `${system.url}${chatPath}`, headers: system.spec.headers, bodies, stream: false, rate: plan.chatRate, warmup: plan.chatWarmup, count: plan.chatCount, tallyHeader: 'x-ailb-context' });
  const record = await measure(context, system, 1, run);
  const after = await mockStats(context.mockUrl);
  return { ...record, value: { ...record.value, contextCalls: after.contextCalls - before.contextCalls } };
}

export interface KnowledgeContext extends PhaseContext {
  corpus: Corpus;
}

/** Files, store and warm-up of one system, then the measured ingestion. */
async function ingest(context: KnowledgeContext, system: RunningSystem) {
  const { corpus, log } = context;
  const plan = KNOWLEDGE_PLAN;
  const client = new KnowledgeClient(system.url, system.spec.headers);
  const warmStart = performance.now();
  const first = corpus.articles[0]!;
  const warm = await client.createStore('bench-warm-up', [await client.upload(`warm-up-${first.name}`, first.bytes)]);
  const warmDone = await client.waitForIngestion(warm.id, plan.ingestDeadlineMs, plan.pollMs);
  if (!warmDone.complete || warmDone.counts.completed !== 1) throw new Error(`${system.spec.label}: the warm-up file was not ingested: ${JSON.stringify(warmDone.counts)}`);
  await client.search(warm.id, 'warm-up', 1);
  const coldStartSeconds = (performance.now() - warmStart) / 1000;

  const uploads = Array.from({ length: plan.copies }, (_, copy) => corpus.articles.map((article) => ({ name: copyName(article, copy), bytes: article.bytes }))).flat();
  let fileIds: string[] = [];
  const upload = await measure(context, system, 1, async () => {
    const started = performance.now();
    fileIds = await pooled(uploads, plan.uploadConcurrency, (file) => client.upload(file.name, file.bytes));
    const bytes = uploads.reduce((total, file) => total + file.bytes.length, 0);
    return { value: { files: uploads.length, bytes, seconds: (performance.now() - started) / 1000 }, requestsSent: uploads.length, generatorCpuMs: 0 };
  });
  let storeId = '';
  const ingestion = await measure(context, system, 1, async () => {
    const started = performance.now();
    const store = await client.createStore('bench-corpus', fileIds);
    const createMs = performance.now() - started;
    storeId = store.id;
    const done = await client.waitForIngestion(store.id, plan.ingestDeadlineMs, plan.pollMs);
    const { perCopy } = corpus;
    const value: IngestionValue = {
      files: fileIds.length,
      bytes: perCopy.bytes * plan.copies,
      chunks: perCopy.chunks * plan.copies,
      passages: perCopy.passages * plan.copies,
      embeddedTexts: perCopy.embeddedTexts * plan.copies,
      seconds: (performance.now() - started) / 1000,
      createMs,
      complete: done.complete,
      counts: done.counts,
      status: done.status,
      polls: done.polls,
    };
    return { value, requestsSent: done.polls + 1, generatorCpuMs: 0 };
  });
  const { value } = ingestion;
  if (value.counts.failed > 0 || value.counts.cancelled > 0) throw new Error(`${system.spec.label}: ingestion failed for some files: ${JSON.stringify(value.counts)}`);
  if (!value.complete) log(`  warning: ${system.spec.label}: ingestion not finished after ${plan.ingestDeadlineMs / 1000} s (${JSON.stringify(value.counts)}); the runs that follow share the machine with it`);
  log(`  ${system.spec.label}: cold start ${coldStartSeconds.toFixed(1)} s; uploaded ${upload.value.files} files in ${upload.value.seconds.toFixed(1)} s; ingested ${value.chunks} chunks (${value.embeddedTexts} texts) in ${value.seconds.toFixed(1)} s`);
  return { client, storeId, coldStartSeconds, upload, ingestion };
}

/** Sequential searches: every held-out question `searchPasses` times, one at a time. */
async function searchSequential(context: KnowledgeContext, system: RunningSystem, client: KnowledgeClient, storeId: string) {
  const { questions } = context.corpus;
  return measure(context, system, 1, async () => {
    const latencyMs: number[] = [];
    let topFromExpectedArticle = 0;
    for (let pass = 0; pass < KNOWLEDGE_PLAN.searchPasses; pass++) {
      for (const question of questions) {
        const result = await client.search(storeId, question.question, KNOWLEDGE_PLAN.maxResults);
        latencyMs.push(result.ms);
        if (result.top?.startsWith(`${question.documentId}.`) || result.top?.startsWith(`${question.documentId}--`)) topFromExpectedArticle++;
      }
    }
    return { value: { latencyMs, topFromExpectedArticle }, requestsSent: latencyMs.length, generatorCpuMs: 0 };
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The whole section, phase by phase over the systems (ingest all, then search all, then chat). */
export async function runKnowledge(context: KnowledgeContext, systems: RunningSystem[], direct: RunningSystem): Promise<KnowledgeSection> {
  const { corpus, log } = context;
  const plan = KNOWLEDGE_PLAN;
  log(`knowledge section (${plan.copies} × ${corpus.perCopy.files} files, ${corpus.questions.length} held-out questions):`);
  const stores = [];
  for (const system of systems) stores.push({ system, ...(await ingest(context, system)) });

  const searches = [];
  for (const { system, client, storeId } of stores) {
    const sequential = await searchSequential(context, system, client, storeId);
    log(`  search, sequential, ${system.spec.label}: p50 ${median(sequential.value.latencyMs).toFixed(1)} ms`);
    const bodies = corpus.questions.map((question) => searchBody(question.question, plan.maxResults));
    const url = `${system.url}/v1/vector_stores/${storeId}/search`;
    const rate = await measure(context, system, 1, openLoop(`${system.spec.label} search`, { url, headers: system.spec.headers, bodies, expect: 'search', stream: false, rate: plan.searchRate, warmup: plan.searchWarmup, count: plan.searchCount }));
    log(`  search at ${plan.searchRate}/s, ${system.spec.label}: p50 ${median(rate.value.latencyMs).toFixed(1)} ms`);
    searches.push({ sequential, rate });
  }

  const chatDirect = await chatRun(context, direct, 'direct chat');
  log(`  chat at ${plan.chatRate}/s, direct: p50 ${median(chatDirect.value.latencyMs).toFixed(2)} ms`);
  const results: KnowledgeRuns[] = [];
  for (const [index, { system, storeId, coldStartSeconds, upload, ingestion }] of stores.entries()) {
    const chatPlain = await chatRun(context, system, `${system.spec.label} chat`);
    const chatRag = await chatRun(context, system, `${system.spec.label} chat with RAG`, storeId);
    log(`  chat at ${plan.chatRate}/s, ${system.spec.label}: p50 ${median(chatPlain.value.latencyMs).toFixed(2)} ms, with RAG ${median(chatRag.value.latencyMs).toFixed(2)} ms (x-ailb-context ${JSON.stringify(chatRag.value.headerTally)})`);
    const rss = Object.fromEntries(Object.entries(system.pids).filter(([role]) => role !== 'mock' && role !== 'redis').map(([role, pid]) => [role, rssMiB(pid)]));
    results.push({ system: system.spec.id, storeId, coldStartSeconds, upload, ingestion, searchSequential: searches[index]!.sequential, searchRate: searches[index]!.rate, chatPlain, chatRag, rssMiB: rss });
  }
  return { plan, corpus: { ...corpus.perCopy, questions: corpus.questions.length }, chatDirect, systems: results };
}
