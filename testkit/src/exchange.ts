import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultName } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { SimulatedRequestRecord } from './simulated-provider-types.js';

/** Bodies larger than this are refused: the simulator is for tests, not for uploads. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** An HTTP response described as data, so each API can build its error shapes without I/O. */
export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The request body: parsed JSON, or the raw text when it is not JSON (`null` when unreadable). */
export type RequestBody = { kind: 'json'; value: unknown } | { kind: 'invalid'; raw: string | null };

/**
 * One request/response pair and its log record. It owns the bookkeeping every API shares: outcome
 * tracking, client-abort detection (an `AbortSignal`), pacing sleeps and back-pressure-aware writes.
 */
export class Exchange {
  /** Aborted when the connection closes before the response finished (client gone or `close()`). */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  /** Set when a fault destroys the socket on purpose, so the close is not mistaken for a client abort. */
  private destroyedOnPurpose = false;

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly record: SimulatedRequestRecord,
    private readonly log: RequestLog,
    private readonly isServerClosing: () => boolean,
  ) {
    this.signal = this.controller.signal;
    response.once('finish', () => this.onFinish());
    response.once('close', () => this.onClose());
  }

  async readBody(): Promise<RequestBody> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of this.request) {
        const buffer = chunk as Buffer;
        size += buffer.length;
        if (size > MAX_BODY_BYTES) return { kind: 'invalid', raw: null };
        chunks.push(buffer);
      }
    } catch {
      return { kind: 'invalid', raw: null };
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    try {
      const value: unknown = JSON.parse(raw);
      this.update({ body: value });
      return { kind: 'json', value };
    } catch {
      this.update({ body: raw });
      return { kind: 'invalid', raw };
    }
  }

  update(changes: Partial<SimulatedRequestRecord>): void {
    Object.assign(this.record, changes);
    this.log.changed();
  }

  markFault(name: FaultName): void {
    this.update({ outcome: 'fault', fault: name });
  }

  addTokens(count: number): void {
    this.update({ tokensSent: this.record.tokensSent + count });
  }

  get isClosed(): boolean {
    return this.signal.aborted || this.response.destroyed;
  }

  /** Sleeps unless the connection closes first; true when the time elapsed with the client still there. */
  async pause(milliseconds: number): Promise<boolean> {
    if (milliseconds > 0 && !this.isClosed) {
      try {
        await delay(milliseconds, undefined, { signal: this.signal });
      } catch {
        return false;
      }
    }
    return !this.isClosed;
  }

  /** Resolves when the connection closes, for faults that never answer. */
  untilClosed(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  sendJson(reply: JsonReply): void {
    this.sendText(reply.status, 'application/json', JSON.stringify(reply.body), reply.headers);
  }

  sendText(status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
    if (this.isClosed) return;
    this.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) });
    this.response.end(text);
  }

  writeHead(status: number, headers: Record<string, string>): void {
    this.response.writeHead(status, headers);
    this.update({ status });
  }

  /** Writes and waits for the socket to drain when needed; false once the connection is gone. */
  async write(text: string): Promise<boolean> {
    if (this.isClosed) return false;
    if (!this.response.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.response.off('drain', done);
          this.signal.removeEventListener('abort', done);
          resolve();
        };
        this.response.on('drain', done);
        this.signal.addEventListener('abort', done, { once: true });
      });
    }
    return !this.isClosed;
  }

  end(): void {
    if (!this.isClosed) this.response.end();
  }

  /**
   * Resolves once everything written so far has reached the kernel. Response writes are corked until
   * the next tick, so destroying the socket right after writing would silently drop them.
   */
  async flushed(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const socket = this.request.socket;
    if (socket.writableLength === 0 || this.isClosed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  /** Destroys the TCP connection: the client sees a reset or a truncated body. */
  destroySocket(): void {
    this.destroyedOnPurpose = true;
    this.request.socket.destroy();
  }

  private onFinish(): void {
    const outcome = this.record.outcome === 'in_progress' ? 'completed' : this.record.outcome;
    this.update({ outcome, endedAt: Date.now() });
  }

  private onClose(): void {
    if (this.response.writableFinished) return;
    this.controller.abort();
    const { outcome } = this.record;
    const clientGaveUp = outcome === 'fault' && !this.destroyedOnPurpose && !this.isServerClosing();
    this.update({ endedAt: Date.now(), outcome: outcome === 'in_progress' || clientGaveUp ? 'aborted' : outcome });
  }
}
