import { GatewayError, redactSecrets, type ProviderConfig } from '@ailb/shared';
import { Agent, request } from 'undici';
import { normalise, type EmbeddingModel, type EmbedOptions } from './embedding-model.js';
import { SerialRunner } from './serial-runner.js';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * `openai:<model>` / `ollama:<model>`: a configured provider deployment's embeddings endpoint —
 * OpenAI's `POST /embeddings` (any OpenAI-compatible server) or Ollama's `POST /api/embed`. Batches go
 * one at a time (queries first) so a provider's rate limit sees a steady caller; vectors are
 * normalised to unit length whatever the provider returns.
 */
export class ProviderEmbeddingModel implements EmbeddingModel {
  readonly name: string;
  readonly maxBatch: number;
  private dimensions: number | undefined;
  private readonly runner: SerialRunner;
  private readonly dispatcher = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
  private closed = false;

  constructor(
    private readonly provider: ProviderConfig,
    private readonly model: string,
    options: { maxBatch?: number; timeoutMs?: number } = {},
  ) {
    if (provider.type !== 'openai' && provider.type !== 'ollama') throw new Error(`provider ${provider.id} (${provider.type}) has no embeddings endpoint AILB can call`);
    this.name = `${provider.type}:${model}`;
    this.maxBatch = options.maxBatch ?? 64;
    this.runner = new SerialRunner(this.maxBatch, (texts) => this.call(texts, options.timeoutMs ?? 30_000));
  }

  async load(): Promise<{ dimensions: number }> {
    if (this.dimensions === undefined) this.dimensions = (await this.embed(['dimensions'], { priority: 'query' }))[0]!.length;
    return { dimensions: this.dimensions };
  }

  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]> {
    if (this.closed) return Promise.reject(new Error('the embedding model is closed'));
    return this.runner.embed(texts, options);
  }

  private async call(texts: readonly string[], timeoutMs: number): Promise<number[][]> {
    const { provider } = this;
    const ollama = provider.type === 'ollama';
    const base = (provider.base_url ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
    const url = ollama ? `${base}/api/embed` : `${base}/embeddings`;
    const body = ollama ? { model: this.model, input: texts } : { model: this.model, input: texts, encoding_format: 'float' };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (provider.api_key) headers.authorization = `Bearer ${provider.api_key}`;
    const failure = (detail: string) => new GatewayError('upstream_error', `Embeddings from provider ${provider.id} failed: ${redactSecrets(detail, [provider.api_key])}`, { provider: provider.id });
    let response;
    try {
      response = await request(url, { method: 'POST', headers, body: JSON.stringify(body), dispatcher: this.dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    } catch (error) {
      throw failure(`connection failed (${(error as { code?: string }).code ?? 'error'})`);
    }
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw failure(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw failure('the answer is not JSON');
    }
    const vectors = ollama
      ? (parsed as { embeddings?: unknown }).embeddings
      : [...((parsed as { data?: Array<{ embedding?: unknown; index?: number }> }).data ?? [])].sort((left, right) => (left.index ?? 0) - (right.index ?? 0)).map((entry) => entry.embedding);
    if (!Array.isArray(vectors) || vectors.length !== texts.length || !vectors.every((vector) => Array.isArray(vector) && vector.length > 0 && vector.every((value) => typeof value === 'number'))) {
      throw failure(`expected ${texts.length} vectors of numbers`);
    }
    return (vectors as number[][]).map(normalise);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runner.failAll(new Error('the embedding model is closed'));
    await this.dispatcher.close();
  }
}
