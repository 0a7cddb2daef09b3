import { GatewayError, streamPartSchema, type StreamPart } from '@ailb/shared';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { convertAnthropicStreamParts } from './anthropic-stream-parts.js';
import { readFixture } from './fixtures/anthropic-test-support.js';

const PROVIDER = 'anthropic-test';

function readEvents(name: string): RawMessageStreamEvent[] {
  return readFixture<RawMessageStreamEvent[]>(name);
}

async function* replay(events: readonly RawMessageStreamEvent[]): AsyncGenerator<RawMessageStreamEvent> {
  for (const event of events) yield event;
}

async function collect(events: readonly RawMessageStreamEvent[]): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of convertAnthropicStreamParts(replay(events), PROVIDER)) parts.push(streamPartSchema.parse(part));
  return parts;
}

describe('convertAnthropicStreamParts', () => {
  it('converts a text answer: metadata, text deltas, then one finish with usage', async () => {
    expect(await collect(readEvents('stream-text.json'))).toEqual([
      { type: 'response-metadata', id: 'msg_01TextStream8Kq', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: '! How can' },
      { type: 'text-delta', delta: ' I help?' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { promptTokens: 25, completionTokens: 15, totalTokens: 40, cachedPromptTokens: 0 },
      },
    ]);
  });

  it('numbers tool calls among tool blocks only and streams their JSON arguments', async () => {
    const parts = await collect(readEvents('stream-tool-use.json'));
    expect(parts).toEqual([
      { type: 'response-metadata', id: 'msg_01ToolStream3Zp', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', delta: 'Let me check' },
      { type: 'text-delta', delta: ' both cities.' },
      { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1Y2z3', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "San' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ' Francisco, CA"}' },
      { type: 'tool-call-start', index: 1, id: 'toolu_01T2a4B5c6', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location": "Paris"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool_calls', raw: 'tool_use' },
        // 472 uncached + 2048 read from the cache; output is message_delta's cumulative count.
        usage: { promptTokens: 2520, completionTokens: 89, totalTokens: 2609, cachedPromptTokens: 2048 },
      },
    ]);
    const argumentsText = parts
      .filter((part) => part.type === 'tool-call-delta' && part.index === 0)
      .map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))
      .join('');
    expect(JSON.parse(argumentsText)).toEqual({ location: 'San Francisco, CA' });
  });

  it('finishes a stream that ends after a stop reason without message_stop', async () => {
    const parts = await collect(readEvents('stream-missing-message-stop.json'));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { promptTokens: 25, completionTokens: 15, totalTokens: 40, cachedPromptTokens: 0 },
    });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('throws upstream_malformed_response for a stream cut off before any stop reason', async () => {
    const parts: StreamPart[] = [];
    const failure = (async () => {
      for await (const part of convertAnthropicStreamParts(replay(readEvents('stream-truncated.json')), PROVIDER)) parts.push(part);
    })();
    await expect(failure).rejects.toBeInstanceOf(GatewayError);
    await expect(failure).rejects.toMatchObject({ code: 'upstream_malformed_response', provider: PROVIDER });
    await expect(failure).rejects.toThrow('stream ended before the answer finished');
    expect(parts.map((part) => part.type)).toEqual(['response-metadata', 'text-delta', 'text-delta']);
  });

  it('emits a text block that starts with text, and ignores thinking blocks and late events', async () => {
    const events = [
      ...readEvents('stream-text.json').slice(0, 1),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'Hi', citations: null } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
      { type: 'message_stop' },
    ] as RawMessageStreamEvent[];
    expect(await collect(events)).toEqual([
      { type: 'response-metadata', id: 'msg_01TextStream8Kq', model: 'claude-sonnet-4-5-20250929' },
      { type: 'text-delta', delta: 'Hi' },
      {
        type: 'finish',
        finishReason: { unified: 'length', raw: 'max_tokens' },
        usage: { promptTokens: 25, completionTokens: 3, totalTokens: 28, cachedPromptTokens: 0 },
      },
    ]);
  });
});
