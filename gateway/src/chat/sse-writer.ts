import type { ServerResponse } from 'node:http';

/**
 * Writes Server-Sent Events in OpenAI's framing (`data: <json>\n\n`, then `data: [DONE]`). After the
 * headers are out an error can only travel in-band: it is sent as a final `data: {"error":…}` event and
 * the stream closes without `[DONE]`, so no client mistakes a cut answer for a complete one.
 */
export class SseWriter {
  private ended = false;

  constructor(private readonly response: ServerResponse) {}

  open(headers: Record<string, string>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.response.flushHeaders();
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
    let text = '';
    for (const payload of payloads) text += `data: ${JSON.stringify(payload)}\n\n`;
    this.response.write(text);
  }

  done(): void {
    if (!this.isOpen) return;
    this.ended = true;
    this.response.end('data: [DONE]\n\n');
  }

  /** Ends the stream with one error event (in the route's error envelope) and no `[DONE]`. */
  fail(body: unknown): void {
    if (!this.isOpen) return;
    this.ended = true;
    this.response.end(`data: ${JSON.stringify(body)}\n\n`);
  }
}
