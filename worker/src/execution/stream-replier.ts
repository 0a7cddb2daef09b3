import type { AttemptRecord, JobContext, ServedBy, StreamPart } from '@ailb/shared';

/**
 * Sends a committed stream to the waiting gateway in as few messages as the transport allows: parts
 * that arrive while a message is in flight are coalesced into the next one, the opening message carries
 * who serves the stream together with its first parts, and the closing message carries the last parts
 * with `end`. A slow publish therefore costs one larger message instead of a queue of small ones, and
 * the upstream read never waits for Redis.
 */
export class StreamReplier {
  private pending: StreamPart[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  private ended = false;

  private constructor(private readonly context: JobContext<'chat'>) {}

  /** Opens the stream: one message with who serves it and its first parts. */
  static start(context: JobContext<'chat'>, served: { servedBy: ServedBy; attempts: AttemptRecord[] }, parts: StreamPart[]): StreamReplier {
    const replier = new StreamReplier(context);
    replier.send(context.reply({ kind: 'stream', start: served, parts }));
    return replier;
  }

  /** Queues a part; it leaves with the next message, at once if none is in flight. */
  push(part: StreamPart): void {
    this.pending.push(part);
    if (!this.inFlight) this.flush();
  }

  /**
   * Closes the stream with its last parts (the `finish`, or an `error` part); resolves once sent.
   * `alongside` starts in the same tick as the last message, so a write that belongs with it (the
   * attempt's success) travels in the same round trip. `attempts`, when they changed since the start
   * (a stream that broke), travel with the last message.
   */
  async end(parts: StreamPart[], alongside?: () => Promise<void>, attempts?: AttemptRecord[]): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    while (this.inFlight) await this.inFlight;
    if (this.failure) throw this.failure;
    const last = [...this.pending, ...parts];
    this.pending = [];
    await Promise.all([this.context.reply(attempts ? { kind: 'stream', parts: last, end: true, attempts } : { kind: 'stream', parts: last, end: true }), alongside?.()]);
  }

  /** Rejects if an earlier message failed to leave (the stream cannot be completed then). */
  check(): void {
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    if (this.pending.length === 0 || this.ended) return;
    const parts = this.pending;
    this.pending = [];
    this.send(this.context.reply({ kind: 'stream', parts }));
  }

  private send(publishing: Promise<void>): void {
    this.inFlight = publishing.then(
      () => {
        this.inFlight = undefined;
        this.flush();
      },
      (error: unknown) => {
        this.inFlight = undefined;
        this.failure ??= error;
      },
    );
  }
}
