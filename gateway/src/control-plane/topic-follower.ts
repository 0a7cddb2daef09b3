import type { ControlChanges, ControlTopic } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

export interface TopicFollowerOptions<T> {
  changes: ControlChanges;
  topic: ControlTopic;
  /** Reads the topic's state from the shared store. */
  read: () => Promise<T>;
  /** Swaps what the gateway caches for what was read. */
  apply: (state: T) => void;
  logger: FastifyBaseLogger;
  /** What the warning of a failed read calls the state (`rate-limit rules`). */
  what: string;
  /** Wait before re-reading after a failed read. @defaultValue 1000 */
  retryMs?: number;
}

/**
 * Keeps a gateway's cached copy of one control-plane topic: reads it at start (a failure fails the
 * start), then again on every notification of the topic. Reads may overlap (notifications in quick
 * succession); a read that started before the one last applied is dropped, so an old state never
 * replaces a newer one. A failed read keeps what is in force and is retried after `retryMs`.
 */
export class TopicFollower<T> {
  private started = 0;
  private applied = 0;
  private retry: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: TopicFollowerOptions<T>) {}

  async start(): Promise<void> {
    this.unsubscribe = this.options.changes.subscribe((topic) => {
      if (topic === this.options.topic) void this.refresh();
    });
    await this.refresh(true);
  }

  /** Re-reads now (a writer calls it after storing, so its own answer reflects the change). */
  async refresh(throwOnFailure = false): Promise<void> {
    const generation = ++this.started;
    try {
      const state = await this.options.read();
      if (generation < this.applied || this.closed) return;
      this.applied = generation;
      this.options.apply(state);
    } catch (error) {
      if (throwOnFailure) throw error;
      this.options.logger.warn({ err: error }, `reading ${this.options.what} failed; what is in force stays until the next read`);
      clearTimeout(this.retry);
      if (!this.closed) this.retry = setTimeout(() => void this.refresh(), this.options.retryMs ?? 1000).unref();
    }
  }

  /** Stops following changes. Idempotent. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    clearTimeout(this.retry);
  }
}
