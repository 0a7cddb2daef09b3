import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { readAnthropicEvents } from './anthropic-sse.js';
import { gatewayFailure, readFixture, sseText } from './fixtures/anthropic-test-support.js';

const CONTEXT = { provider: 'anthropic-unit', apiKey: 'sk-ant-api03-unit-SECRET-abcdef0123456789' };

/** The text as a body of byte chunks cut every `size` bytes (through multi-byte characters too). */
async function* bytesOf(text: string, size = Number.MAX_SAFE_INTEGER): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function read(body: AsyncIterable<Uint8Array>): Promise<RawMessageStreamEvent[]> {
  const events: RawMessageStreamEvent[] = [];
  for await (const event of readAnthropicEvents(body, CONTEXT)) events.push(event);
  return events;
}

describe('readAnthropicEvents', () => {
  const recorded = readFixture<RawMessageStreamEvent[]>('stream-tool-use.json');
  const withoutPings = recorded.filter((event) => event.type !== ('ping' as string));

  it('reads every event of a recorded stream, skipping pings', async () => {
    expect(await read(bytesOf(sseText(recorded)))).toEqual(withoutPings);
  });

  it.each([1, 2, 7, 64])('reads the same events whatever the network chunks (%i bytes)', async (size) => {
    const events = [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'héllo → 世界 🎉' } }, { type: 'message_stop' }];
    expect(await read(bytesOf(sseText(events), size))).toEqual(events);
  });

  it('reads CRLF line endings, comments and multi-line data', async () => {
    const text = ': keep-alive\r\nevent: message_stop\r\ndata: {"type":\r\ndata: "message_stop"}\r\n\r\n';
    expect(await read(bytesOf(text, 3))).toEqual([{ type: 'message_stop' }]);
  });

  it('skips events without a name or without data, as the SDK did', async () => {
    const text = 'data: {"type":"message_stop"}\n\nevent: message_delta\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    expect(await read(bytesOf(text))).toEqual([{ type: 'message_stop' }]);
  });

  it('drops an event the body ended in the middle of', async () => {
    expect(await read(bytesOf('event: message_stop\ndata: {"type":"message_stop"}\n'))).toEqual([]);
  });

  it('throws the classified error of an error event', async () => {
    const text = sseText([{ type: 'message_stop' }]) + 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const events: RawMessageStreamEvent[] = [];
    const error = await gatewayFailure((async () => {
      for await (const event of readAnthropicEvents(bytesOf(text), CONTEXT)) events.push(event);
    })());
    expect(events).toEqual([{ type: 'message_stop' }]);
    expect(error).toMatchObject({ code: 'upstream_overloaded', provider: 'anthropic-unit', message: 'Provider anthropic-unit returned HTTP 529: Overloaded' });
  });

  it('skips one event that is not JSON, and throws upstream_malformed_response on two in a row', async () => {
    let skipped = 0;
    const events: RawMessageStreamEvent[] = [];
    const text = `event: content_block_delta\ndata: {"type": "content_blo\n\n${sseText(recorded)}`;
    for await (const event of readAnthropicEvents(bytesOf(text), CONTEXT, () => skipped++)) events.push(event);
    expect(events).toEqual(withoutPings);
    expect(skipped).toBe(1);
    const error = await gatewayFailure(read(bytesOf('event: content_block_delta\ndata: {"type": "content_blo\n\nevent: content_block_delta\ndata: nope\n\n')));
    expect(error).toMatchObject({ code: 'upstream_malformed_response', message: 'Provider anthropic-unit sent a malformed response: the response is not valid JSON' });
  });
});
