import { GatewayError, streamPartSchema, type CallWarning, type StreamPart } from '@ailb/shared';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { convertAnthropicStreamParts } from './anthropic-stream-parts.js';
import { readFixture } from './fixtures/anthropic-test-support.js';

const PROVIDER = 'anthropic-test';
const MODEL = 'claude-sonnet-4-5-20250929';

function readEvents(name: string): RawMessageStreamEvent[] {
  return readFixture<RawMessageStreamEvent[]>(name);
}

async function* replay(events: readonly RawMessageStreamEvent[]): AsyncGenerator<RawMessageStreamEvent> {
  for (const event of events) yield event;
}

/** Converts `events`, checking every part against the schema and the whole against the well-formedness rule. */
async function collect(events: readonly RawMessageStreamEvent[], warnings: CallWarning[] = []): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of convertAnthropicStreamParts(replay(events), PROVIDER, warnings)) parts.push(streamPartSchema.parse(part));
  expectWellFormed(parts);
  return parts;
}

/** `stream-start`, `response-metadata`, blocks that each start, grow and end (tool blocks with a call), one `finish` last. */
function expectWellFormed(parts: readonly StreamPart[]): void {
  expect(parts[0]?.type).toBe('stream-start');
  expect(parts[1]?.type).toBe('response-metadata');
  expect(parts.at(-1)?.type).toBe('finish');
  expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  const open = new Map<string, string>();
  let pendingCall: string | undefined;
  for (const part of parts.slice(2, -1)) {
    if (pendingCall !== undefined) {
      expect(part).toMatchObject({ type: 'tool-call', toolCallId: pendingCall });
      pendingCall = undefined;
      continue;
    }
    const [kind, stage] = part.type.startsWith('tool-input-') ? ['tool-input', part.type.slice(11)] : part.type.split('-');
    const id = (part as { id: string }).id;
    if (stage === 'start') {
      expect(open.has(id)).toBe(false);
      open.set(id, kind ?? '');
    } else {
      expect(open.get(id)).toBe(kind);
      if (stage === 'end') open.delete(id);
      if (stage === 'end' && kind === 'tool-input') pendingCall = id;
    }
  }
  expect(pendingCall).toBeUndefined();
  expect([...open.keys()]).toEqual([]);
}

const messageStart = (): RawMessageStreamEvent => readEvents('stream-text.json')[0] as RawMessageStreamEvent;
const endTurn = [
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } },
  { type: 'message_stop' },
] as RawMessageStreamEvent[];

describe('convertAnthropicStreamParts', () => {
  it('converts a text answer: start, metadata, one text block, then one finish with usage', async () => {
    expect(await collect(readEvents('stream-text.json'))).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'msg_01TextStream8Kq', modelId: MODEL },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Hello' },
      { type: 'text-delta', id: '0', delta: '! How can' },
      { type: 'text-delta', id: '0', delta: ' I help?' },
      { type: 'text-end', id: '0' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40, cachedInputTokens: 0 },
      },
    ]);
  });

  it('puts the request warnings on stream-start', async () => {
    const warnings: CallWarning[] = [{ type: 'unsupported-setting', setting: 'seed' }];
    const [first] = await collect(readEvents('stream-text.json'), warnings);
    expect(first).toEqual({ type: 'stream-start', warnings: [{ type: 'unsupported-setting', setting: 'seed' }] });
  });

  it('streams tool blocks by tool call id and ends each with the whole call', async () => {
    const parts = await collect(readEvents('stream-tool-use.json'));
    expect(parts.slice(1)).toEqual([
      { type: 'response-metadata', id: 'msg_01ToolStream3Zp', modelId: MODEL },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Let me check' },
      { type: 'text-delta', id: '0', delta: ' both cities.' },
      { type: 'text-end', id: '0' },
      { type: 'tool-input-start', id: 'toolu_01T1x1Y2z3', toolName: 'get_weather' },
      { type: 'tool-input-delta', id: 'toolu_01T1x1Y2z3', delta: '{"location": "San' },
      { type: 'tool-input-delta', id: 'toolu_01T1x1Y2z3', delta: ' Francisco, CA"}' },
      { type: 'tool-input-end', id: 'toolu_01T1x1Y2z3' },
      { type: 'tool-call', toolCallId: 'toolu_01T1x1Y2z3', toolName: 'get_weather', input: '{"location": "San Francisco, CA"}' },
      { type: 'tool-input-start', id: 'toolu_01T2a4B5c6', toolName: 'get_weather' },
      { type: 'tool-input-delta', id: 'toolu_01T2a4B5c6', delta: '{"location": "Paris"}' },
      { type: 'tool-input-end', id: 'toolu_01T2a4B5c6' },
      { type: 'tool-call', toolCallId: 'toolu_01T2a4B5c6', toolName: 'get_weather', input: '{"location": "Paris"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        // 472 uncached + 2048 read from the cache; output is message_delta's cumulative count.
        usage: { inputTokens: 2520, outputTokens: 89, totalTokens: 2609, cachedInputTokens: 2048 },
      },
    ]);
  });

  it('gives a tool called without arguments the input {}', async () => {
    const parts = await collect([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_time', name: 'get_time', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_stop', index: 0 },
      ...endTurn,
    ] as RawMessageStreamEvent[]);
    expect(parts.filter((part) => part.type.startsWith('tool-'))).toEqual([
      { type: 'tool-input-start', id: 'toolu_time', toolName: 'get_time' },
      { type: 'tool-input-end', id: 'toolu_time' },
      { type: 'tool-call', toolCallId: 'toolu_time', toolName: 'get_time', input: '{}' },
    ]);
  });

  it('streams thinking as reasoning, with the signature on reasoning-end, and redacted thinking with its data', async () => {
    const parts = await collect([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm,' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: ' a greeting.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'xyz' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'ENCRYPTED' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'Hi', citations: null } },
      { type: 'content_block_stop', index: 2 },
      ...endTurn,
    ] as RawMessageStreamEvent[]);
    expect(parts.slice(2, -1)).toEqual([
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', delta: 'Hmm,' },
      { type: 'reasoning-delta', id: '0', delta: ' a greeting.' },
      { type: 'reasoning-end', id: '0', providerMetadata: { anthropic: { signature: 'sig-xyz' } } },
      { type: 'reasoning-start', id: '1' },
      { type: 'reasoning-end', id: '1', providerMetadata: { anthropic: { redactedData: 'ENCRYPTED' } } },
      // A block that starts with text delivers it as its first delta.
      { type: 'text-start', id: '2' },
      { type: 'text-delta', id: '2', delta: 'Hi' },
      { type: 'text-end', id: '2' },
    ]);
  });

  it('finishes a stream that ends after a stop reason without message_stop', async () => {
    const parts = await collect(readEvents('stream-missing-message-stop.json'));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40, cachedInputTokens: 0 },
    });
  });

  it('closes blocks left open, tool calls included, before finishing', async () => {
    const events = [
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: 'Plan.', signature: 'sig-0' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Calling.' } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_x', name: 'get_time', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"tz":"UTC"}' } },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 4 } },
    ] as RawMessageStreamEvent[];
    const expectedTail = [
      { type: 'reasoning-end', id: '0', providerMetadata: { anthropic: { signature: 'sig-0' } } },
      { type: 'text-end', id: '1' },
      { type: 'tool-input-end', id: 'toolu_x' },
      { type: 'tool-call', toolCallId: 'toolu_x', toolName: 'get_time', input: '{"tz":"UTC"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage: expect.anything() },
    ];
    // Without message_stop, and with it but without the blocks' stop events.
    expect((await collect(events)).slice(-5)).toEqual(expectedTail);
    expect((await collect([...events, { type: 'message_stop' }])).slice(-5)).toEqual(expectedTail);
  });

  it('throws upstream_malformed_response for a stream cut off before any stop reason', async () => {
    const parts: StreamPart[] = [];
    const failure = (async () => {
      for await (const part of convertAnthropicStreamParts(replay(readEvents('stream-truncated.json')), PROVIDER)) parts.push(part);
    })();
    await expect(failure).rejects.toBeInstanceOf(GatewayError);
    await expect(failure).rejects.toMatchObject({ code: 'upstream_malformed_response', provider: PROVIDER });
    await expect(failure).rejects.toThrow('stream ended before the answer finished');
    expect(parts.map((part) => part.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta']);
  });

  it('ignores server-tool blocks and citations, and events after message_stop', async () => {
    const events = [
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: { type: 'char_location' } } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Found.' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'Late', citations: null } },
      { type: 'message_stop' },
    ] as RawMessageStreamEvent[];
    expect((await collect(events)).slice(1)).toEqual([
      { type: 'response-metadata', id: 'msg_01TextStream8Kq', modelId: MODEL },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'Found.' },
      { type: 'text-end', id: '1' },
      {
        type: 'finish',
        finishReason: { unified: 'length', raw: 'max_tokens' },
        usage: { inputTokens: 25, outputTokens: 3, totalTokens: 28, cachedInputTokens: 0 },
      },
    ]);
  });
});
