import type { ControlChanges, ControlTopic } from '../../contracts/control-plane/control-changes.js';

/**
 * The embedded default's change notifications: every role shares one process, so a publish reaches
 * the listeners directly. Delivery is asynchronous, like Redis pub/sub, so a writer never runs a
 * listener in the middle of its own update.
 */
export class InMemoryControlChanges implements ControlChanges {
  private readonly listeners = new Set<(topic: ControlTopic) => void>();
  private closed = false;

  async publish(topic: ControlTopic): Promise<void> {
    if (this.closed) return;
    await Promise.resolve();
    for (const listener of [...this.listeners]) listener(topic);
  }

  subscribe(listener: (topic: ControlTopic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
