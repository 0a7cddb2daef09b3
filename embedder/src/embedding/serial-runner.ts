import type { EmbedOptions } from './embedding-model.js';

interface Pending {
  texts: readonly string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

/**
 * Runs a model's batches one at a time, queries before bulk work. A large bulk request is cut into
 * batches of `maxBatch` that queue separately, so a query waits for at most one batch in progress.
 * (On two cores, two batches in parallel would only make both slower.)
 */
export class SerialRunner {
  private readonly queries: Pending[] = [];
  private readonly bulk: Pending[] = [];
  private running = false;

  constructor(
    private readonly maxBatch: number,
    private readonly run: (texts: readonly string[]) => Promise<number[][]>,
  ) {}

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (texts.length === 0) return [];
    const queue = options.priority === 'query' ? this.queries : this.bulk;
    const batches: Array<Promise<number[][]>> = [];
    for (let start = 0; start < texts.length; start += this.maxBatch) {
      batches.push(
        new Promise((resolve, reject) => {
          queue.push({ texts: texts.slice(start, start + this.maxBatch), resolve, reject, signal: options.signal });
        }),
      );
    }
    this.pump();
    return (await Promise.all(batches)).flat();
  }

  /** Rejects everything still waiting (the model is closing). */
  failAll(error: Error): void {
    for (const pending of [...this.queries.splice(0), ...this.bulk.splice(0)]) pending.reject(error);
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queries.shift() ?? this.bulk.shift();
    if (!next) return;
    if (next.signal?.aborted) {
      next.reject(next.signal.reason);
      this.pump();
      return;
    }
    this.running = true;
    this.run(next.texts)
      .then(next.resolve, next.reject)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }
}
