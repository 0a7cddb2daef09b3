import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONTROL_TOPICS, type ControlChanges, type ControlTopic } from '../../contracts/control-plane/control-changes.js';

/** The pub/sub channel of control-plane changes under a key prefix. */
export const controlChannel = (prefix: string) => `${prefix}:control`;

const isTopic = (value: string): value is ControlTopic => (CONTROL_TOPICS as readonly string[]).includes(value);

/**
 * Change notifications over Redis pub/sub: publishes on the shared state connection and listens on a
 * connection of its own (a subscribed connection can run nothing else). After every (re)subscription
 * listeners get every topic, since messages sent while disconnected are lost.
 */
export class RedisControlChanges implements ControlChanges {
  private readonly listeners = new Set<(topic: ControlTopic) => void>();
  private readonly subscriber: Redis;
  private readonly channel: string;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly publisher: Redis,
    redisUrl: string,
    prefix: string,
    private readonly logger?: Logger,
  ) {
    this.channel = controlChannel(prefix);
    // No offline queue: while disconnected there is nothing useful to buffer; `ready` re-subscribes.
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on('error', (error) => this.logger?.warn({ err: error }, 'control-plane subscription error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel && isTopic(message)) this.emit(message);
    });
    // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is re-read.
    this.subscriber.on('ready', () => {
      for (const topic of CONTROL_TOPICS) this.emit(topic);
    });
  }

  /** Connects and subscribes; resolves once changes are being received. */
  async start(): Promise<void> {
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
  }

  async publish(topic: ControlTopic): Promise<void> {
    await this.publisher.publish(this.channel, topic);
  }

  subscribe(listener: (topic: ControlTopic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.listeners.clear();
      await this.subscriber.quit().catch(() => this.subscriber.disconnect());
    })();
    return this.closing;
  }

  private emit(topic: ControlTopic): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(topic);
      } catch (error) {
        this.logger?.error({ err: error, topic }, 'a control-plane listener failed');
      }
    }
  }
}
