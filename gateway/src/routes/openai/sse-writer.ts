import type { ServerResponse } from 'node:http';

/** Events in SSE framing, one `data:` line each. */
function events(payloads: readonly unknown[]): string {
  let text = '';
  for (const payload of payloads) text += `data: ${JSON.stringify(payload)}\n\n`;
  return text;
}

/**
 * Writes Server-Sent Events in OpenAI's framing (`data: <json>\n\n`, then `data: [DONE]`). After the
 * headers are out an error can only travel in-band: it is sent as a final `data: {"error":…}` event and
 * the stream closes without `[DONE]`, so no client mistakes a cut answer for a complete one.
 */
export class SseWriter {
  private ended = false;
  /** HTTP/1.1 and later stream chunked, so trailers can follow; an HTTP/1.0 response cannot carry them. */
  private readonly chunked: boolean;

  constructor(private readonly response: ServerResponse) {
    const request = response.req;
    this.chunked = request.httpVersionMajor > 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1);
  }

  /**
   * Sends the headers together with the first events, in one socket write (Node sends headers with
   * the first body chunk when they were not flushed on their own); with `last` (the trailers), the whole stream —
   * events and `[DONE]` — leaves in that one write.
   */
  open(headers: Record<string, string>, firstEvents: readonly unknown[], last: false | Record<string, string> = false): void {
    // No `connection` header: Node keeps the connection alive unless the client asked to close it.
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      // The attempts as they ended (a stream that broke and was continued adds some after the headers).
      ...(this.chunked ? { trailer: 'x-ailb-attempts' } : {}),
    });
    if (last) this.done(firstEvents, last);
    else if (firstEvents.length > 0) this.dataBatch(firstEvents);
    else this.response.flushHeaders();
  }

  get isOpen(): boolean {
    return !this.ended && !this.response.destroyed;
  }

  data(payload: unknown): void {
    if (this.isOpen) this.response.write(`data: ${JSON.stringify(payload)}\n\n`);
  }

  /** Several events in one socket write. */
  dataBatch(payloads: readonly unknown[]): void {
    if (!this.isOpen || payloads.length === 0) return;
    this.response.write(events(payloads));
  }

  /** Ends the stream: the last events and `[DONE]`, in one write, then `trailers` (sent with chunked encoding only, as HTTP allows). */
  done(lastEvents: readonly unknown[] = [], trailers?: Record<string, string>): void {
    if (!this.isOpen) return;
    this.ended = true;
    if (trailers && this.chunked) this.response.addTrailers(trailers);
    this.response.end(`${events(lastEvents)}data: [DONE]\n\n`);
  }

  /** Ends the stream with one error event (in the route's error envelope) and no `[DONE]`. */
  fail(body: unknown, trailers?: Record<string, string>): void {
    if (!this.isOpen) return;
    this.ended = true;
    if (trailers && this.chunked) this.response.addTrailers(trailers);
    this.response.end(`data: ${JSON.stringify(body)}\n\n`);
  }
}
