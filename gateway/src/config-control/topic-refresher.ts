import type { ControlTopic } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Re-reads control-plane topics on notification: one read per topic at a time, notifications that
 * arrive during a read make it read once more afterwards (never a read per notification), and a failed
 * read is tried again after `retryMs` — what is in force stays meanwhile.
 */
export class TopicRefresher {
  private readonly running = new Map<ControlTopic, { done: Promise<void>; again: boolean }>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly read: (topic: ControlTopic) => Promise<void>,
    private readonly logger: FastifyBaseLogger,
    private readonly retryMs = 1000,
  ) {}

  /** Reads `topic` (again, if a read is in flight); settles when the state is read or the read failed. */
  refresh(topic: ControlTopic): Promise<void> {
    const inFlight = this.running.get(topic);
    if (inFlight) {
      inFlight.again = true;
      return inFlight.done;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      do {
        entry.again = false;
        try {
          await this.read(topic);
        } catch (error) {
          this.logger.warn({ err: error, topic }, 'reading control-plane state failed; what is in force stays until the next read');
          this.retryLater(topic);
        }
      } while (entry.again && !this.closed);
      this.running.delete(topic);
    })();
    this.running.set(topic, entry);
    return entry.done;
  }

  /** Stops retrying. Idempotent. */
  close(): void {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }

  private retryLater(topic: ControlTopic): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      void this.refresh(topic);
    }, this.retryMs).unref();
    this.retries.add(timer);
  }
}
