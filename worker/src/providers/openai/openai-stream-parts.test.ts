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
      { type: 'response-metadata', id: 'chatcmpl-BEZb3lnOPcNRcDtAOjdbhUzYFiVbv', model: 'gpt-4o-mini-2024-07-18' },
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ' there' },
      { type: 'text-delta', delta: '!' },
      {
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { promptTokens: 12, completionTokens: 5, totalTokens: 17, cachedPromptTokens: 0, reasoningTokens: 0 },
      },
    ]);
  });

  it('converts parallel tool call deltas, starting each call once', async () => {
    const parts = await collect(recordedChunks('stream-tool-calls.sse'));
    expect(parts.slice(1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"lo' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'cation": "Pa' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ris"}' },
      { type: 'tool-call-start', index: 1, id: 'call_ABAFa3eQZ0Y5hXqvUJvBCmeE', name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": "Paris"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
        usage: { promptTokens: 85, completionTokens: 48, totalTokens: 133, cachedPromptTokens: 64, reasoningTokens: 0 },
      },
    ]);
  });

  it('finishes a stream that ends after finish_reason without [DONE] or usage', async () => {
    expect(await collect(recordedChunks('stream-no-done.sse'))).toEqual([
      { type: 'response-metadata', id: 'cmpl-3f1c', model: 'llama-3.1-8b-instruct' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: null },
    ]);
  });

  it('does not restart a call when a server repeats its id, and accepts entries without index', async () => {
    const parts = await collect([
      { id: 'c', model: 'm', choices: [{ delta: { tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '{"a":' } }] } }] },
      { id: 'c', model: 'm', choices: [{ delta: { tool_calls: [{ id: 'call_a', function: { arguments: '1}' } }] } }] },
      { id: 'c', model: 'm', choices: [{ delta: {}, finish_reason: 'tool_calls' }] },
    ]);
    expect(parts.filter((part) => part.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    ]);
  });

  it('gives a call without an id (some compatible servers) a generated one', async () => {
    const parts = await collect([{ choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }]);
    expect(parts[1]).toEqual({ type: 'tool-call-start', index: 0, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'f' });
  });

  it('uses the requested model when chunks name none', async () => {
    const parts = await collect([{ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] }]);
    expect(parts[0]).toEqual({ type: 'response-metadata', model: 'requested' });
  });

  it('throws upstream_malformed_response when the stream is cut before a finish_reason', async () => {
    const error = await failure(recordedChunks('stream-cut.sse'));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_malformed_response', message: expect.stringContaining('stream ended before the answer finished') });
  });

  it('throws for an empty stream too', async () => {
    expect(await failure([])).toMatchObject({ code: 'upstream_malformed_response' });
  });
});
