import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CONTROL_TOPICS, type ControlChanges, type ControlTopic } from '../../contracts/control-plane/control-changes.js';

/** The pub/sub channel of control-plane changes under a key prefix. */
export const controlChannel = (prefix: string) => `${prefix}:control`;

const isTopic = (value: string): value is ControlTopic => (CONTROL_TOPICS as readonly string[]).includes(value);

export interface RedisControlChangesOptions {
  /**
   * How often listeners are told to re-read every topic even without a message. Redis pub/sub delivers
   * at most once: a message lost on the way, or a publish that failed after its change was stored, is
   * made good by this re-read. @defaultValue 10000
   */
  resyncMs?: number;
  /** Wait before the one retry of a failed publish. @defaultValue 200 */
  publishRetryMs?: number;
}

/**
 * Change notifications over Redis pub/sub: publishes on the shared state connection and listens on a
 * connection of its own (a subscribed connection can run nothing else). Listeners get every topic after
 * every (re)subscription — messages sent while disconnected are lost — and every `resyncMs`.
 */
export class RedisControlChanges implements ControlChanges {
  private readonly listeners = new Set<(topic: ControlTopic) => void>();
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly resyncMs: number;
  private readonly publishRetryMs: number;
  private resync: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly publisher: Redis,
    redisUrl: string,
    prefix: string,
    private readonly logger?: Logger,
    options: RedisControlChangesOptions = {},
  ) {
    this.channel = controlChannel(prefix);
    this.resyncMs = options.resyncMs ?? 10_000;
    this.publishRetryMs = options.publishRetryMs ?? 200;
    // Connected by `start`, so a caller knows when changes are being received; ioredis re-subscribes
    // by itself after a reconnect.
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on('error', (error) => this.logger?.warn({ err: error }, 'control-plane subscription error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel && isTopic(message)) this.emit(message);
    });
    // What was published while the subscription was down is re-read.
    this.subscriber.on('ready', () => this.emitAll());
  }

  /** Connects and subscribes; resolves once changes are being received. */
  async start(): Promise<void> {
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
    this.resync ??= setInterval(() => this.emitAll(), this.resyncMs).unref();
  }

  /**
   * Sends the notification, retrying once. A change is stored before it is published, so a publish that
   * still fails does not undo it: it is logged, and every instance reads the change at its next resync.
   */
  async publish(topic: ControlTopic): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish(this.channel, topic);
        return;
      } catch (error) {
        if (attempt === 2) {
          this.logger?.warn({ err: error, topic, resyncMs: this.resyncMs }, 'control-plane change stored but not announced: instances read it at their next resync');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.publishRetryMs));
      }
    }
  }

  subscribe(listener: (topic: ControlTopic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.resync);
      this.listeners.clear();
      await this.subscriber.quit().catch(() => this.subscriber.disconnect());
    })();
    return this.closing;
  }

  private emitAll(): void {
    for (const topic of CONTROL_TOPICS) this.emit(topic);
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
