import { readFileSync } from 'node:fs';
import { GatewayError, streamPartSchema, type StreamPart } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOpenAIStreamParts, type OpenAIWireChunk } from './openai-stream-parts.js';

/** The JSON chunks of a recorded SSE body, as the SDK yields them (`[DONE]` is consumed by the SDK). */
function recordedChunks(name: string): OpenAIWireChunk[] {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n\n')
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => JSON.parse(data) as OpenAIWireChunk);
}

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect(chunks: OpenAIWireChunk[]): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of toOpenAIStreamParts(asAsync(chunks), { provider: 'openai-main', requestedModel: 'requested' })) {
    parts.push(streamPartSchema.parse(part));
  }
  return parts;
}

async function failure(chunks: OpenAIWireChunk[]): Promise<unknown> {
  return collect(chunks).then(() => undefined, (error: unknown) => error);
}

describe('toOpenAIStreamParts', () => {
  it('converts a text stream, taking usage from the include_usage chunk after finish_reason', async () => {
    expect(await collect(recordedChunks('stream-text.sse'))).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'chatcmpl-BEZb3lnOPcNRcDtAOjdbhUzYFiVbv', modelId: 'gpt-4o-mini-2024-07-18' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hello' },
      { type: 'text-delta', id: 'text-0', delta: ' there' },
      { type: 'text-delta', id: 'text-0', delta: '!' },
      { type: 'text-end', id: 'text-0' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 0, reasoningTokens: 0 },
      },
    ]);
  });

  it('converts parallel tool call deltas, starting each call once', async () => {
    const parts = await collect(recordedChunks('stream-tool-calls.sse'));
    const weather = 'call_DdmO9pD3xa9XTPNJ32zg2hcA';
    const time = 'call_ABAFa3eQZ0Y5hXqvUJvBCmeE';
    expect(parts.slice(2)).toEqual([
      { type: 'tool-input-start', id: weather, toolName: 'get_weather' },
      { type: 'tool-input-delta', id: weather, delta: '{"lo' },
      { type: 'tool-input-delta', id: weather, delta: 'cation": "Pa' },
      { type: 'tool-input-delta', id: weather, delta: 'ris"}' },
      { type: 'tool-input-start', id: time, toolName: 'get_time' },
      { type: 'tool-input-delta', id: time, delta: '{"city": "Paris"}' },
      { type: 'tool-input-end', id: weather },
      { type: 'tool-call', toolCallId: weather, toolName: 'get_weather', input: '{"location": "Paris"}' },
      { type: 'tool-input-end', id: time },
      { type: 'tool-call', toolCallId: time, toolName: 'get_time', input: '{"city": "Paris"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: 85, outputTokens: 48, totalTokens: 133, cachedInputTokens: 64, reasoningTokens: 0 },
      },
    ]);
  });

  it('finishes a stream that ends after finish_reason without [DONE] or usage', async () => {
    expect(await collect(recordedChunks('stream-no-done.sse'))).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'cmpl-3f1c', modelId: 'llama-3.1-8b-instruct' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hi' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: null },
    ]);
  });

  it('does not restart a call when a server repeats its id, and accepts entries without index', async () => {
    const parts = await collect([
      { id: 'c', model: 'm', choices: [{ delta: { tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '{"a":' } }] } }] },
      { id: 'c', model: 'm', choices: [{ delta: { tool_calls: [{ id: 'call_a', function: { arguments: '1}' } }] } }] },
      { id: 'c', model: 'm', choices: [{ delta: {}, finish_reason: 'tool_calls' }] },
    ]);
    expect(parts.filter((part) => part.type.startsWith('tool-'))).toEqual([
      { type: 'tool-input-start', id: 'call_a', toolName: 'f' },
      { type: 'tool-input-delta', id: 'call_a', delta: '{"a":' },
      { type: 'tool-input-delta', id: 'call_a', delta: '1}' },
      { type: 'tool-input-end', id: 'call_a' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'f', input: '{"a":1}' },
    ]);
  });

  it('gives a call without an id (some compatible servers) a generated one', async () => {
    const parts = await collect([{ choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }]);
    expect(parts[2]).toEqual({ type: 'tool-input-start', id: expect.stringMatching(/^call_[0-9a-f]{24}$/), toolName: 'f' });
  });

  it('uses the requested model when chunks name none', async () => {
    const parts = await collect([{ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] }]);
    expect(parts[1]).toEqual({ type: 'response-metadata', modelId: 'requested' });
  });

  it('throws upstream_malformed_response when the stream is cut before a finish_reason', async () => {
    const error = await failure(recordedChunks('stream-cut.sse'));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_malformed_response', message: expect.stringContaining('stream ended before the answer finished') });
  });

  it('streams reasoning that compatible servers send, closing it when the answer starts', async () => {
    const parts = await collect([
      { model: 'deepseek-reasoner', choices: [{ delta: { reasoning_content: 'Think' } }] },
      { model: 'deepseek-reasoner', choices: [{ delta: { reasoning: ' more' } }] },
      { model: 'deepseek-reasoner', choices: [{ delta: { content: 'Answer' }, finish_reason: 'stop' }] },
    ]);
    expect(parts.slice(2, -1)).toEqual([
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'Think' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: ' more' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Answer' },
      { type: 'text-end', id: 'text-0' },
    ]);
  });

  it('throws for an empty stream too', async () => {
    expect(await failure([])).toMatchObject({ code: 'upstream_malformed_response' });
  });
});
