import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer; a reply that does not end the response leaves it hanging. */
export type Reply = (response: ServerResponse) => void;

/** A request the replay server received; `body` is the parsed JSON, undefined when empty. */
export interface ReplayRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const noReplyQueued: Reply = (response) => {
  response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"no reply queued"}');
};

/**
 * A local HTTP server (loopback, port 0) that answers with recorded provider responses, for adapter
 * tests. Each request takes the next queued reply, or `fallback` when none is queued.
 */
export class ReplayServer {
  readonly received: ReplayRequest[] = [];
  /** The reply for requests when the queue is empty. Reset to a 500 by `reset()`. */
  fallback: Reply = noReplyQueued;
  private readonly replies: Reply[] = [];
  private readonly responses: ServerResponse[] = [];
  private readonly requestWaiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT`, no trailing slash. */
    readonly url: string,
  ) {}

  static async start(): Promise<ReplayServer> {
    let replayServer: ReplayServer | undefined;
    const server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () =>
        replayServer?.answer({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: text === '' ? undefined : JSON.parse(text) }, response),
      );
    });
    // A slow test run must not see the server drop an idle keep-alive socket as the client reuses it.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    replayServer = new ReplayServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return replayServer;
  }

  /** Queues replies for the next requests, in order. */
  reply(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  /** Resolves once the server has received `count` requests in total. */
  async waitForRequests(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.requestWaiters.push(resolve));
  }

  /**
   * Forgets queued replies, received requests and the fallback, and closes responses left hanging.
   * Idle keep-alive sockets stay open and reusable, as they would against a real provider.
   */
  reset(): void {
    for (const response of this.responses) if (!response.writableEnded) response.socket?.destroy();
    this.responses.length = 0;
    this.replies.length = 0;
    this.received.length = 0;
    this.fallback = noReplyQueued;
  }

  async close(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private answer(request: ReplayRequest, response: ServerResponse): void {
    this.received.push(request);
    this.responses.push(response);
    for (const wake of this.requestWaiters.splice(0)) wake();
    (this.replies.shift() ?? this.fallback)(response);
  }
}

/** Answers with a JSON body (a string body is sent as is, to send broken JSON). */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/**
 * Streams a 200 body in the given pieces, one write each (SSE, NDJSON); with `hang`, keeps the
 * response open afterwards.
 */
export function streamReply(contentType: string, pieces: readonly string[], options: { hang?: boolean; headers?: Record<string, string> } = {}): Reply {
  return (response) => {
    response.writeHead(200, { 'content-type': contentType, ...options.headers });
    for (const piece of pieces) response.write(piece);
    if (!options.hang) response.end();
  };
}

/** Never answers. */
export const hangingReply: Reply = () => {};
