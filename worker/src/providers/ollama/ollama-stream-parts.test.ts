import { readFileSync } from 'node:fs';
import { streamPartSchema, type StreamPart } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { parseNdjson } from './ollama-ndjson.js';
import { toOllamaStreamParts } from './ollama-stream-parts.js';

const context = { provider: 'ollama-local', requestedModel: 'requested' };

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function collect(text: string): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of toOllamaStreamParts(parseNdjson(once(text), context.provider), context)) {
    parts.push(streamPartSchema.parse(part));
  }
  return parts;
}

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const failure = (text: string): Promise<unknown> => collect(text).then(() => undefined, (error: unknown) => error);

describe('toOllamaStreamParts', () => {
  it('converts a text stream with usage from the done line', async () => {
    expect(await collect(fixture('chat-text.ndjson'))).toEqual([
      { type: 'response-metadata', model: 'gemma2:2b' },
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: '! 👋' },
      { type: 'text-delta', delta: ' What can I do for you?' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: 10, completionTokens: 17, totalTokens: 27 } },
    ]);
  });

  it('emits each whole tool call as a start and one delta, and finishes with tool_calls', async () => {
    const parts = await collect(fixture('chat-tool-calls.ndjson'));
    expect(parts.slice(1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_k3h1yq0w', name: 'get_current_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"format":"celsius","location":"Toronto"}' },
      { type: 'tool-call-start', index: 1, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Toronto"}' },
      { type: 'finish', finishReason: { unified: 'tool_calls', raw: 'stop' }, usage: { promptTokens: 173, completionTokens: 43, totalTokens: 216 } },
    ]);
  });

  it('maps done_reason length', async () => {
    const parts = await collect('{"model":"m","message":{"content":"a"},"done":false}\n{"model":"m","message":{"content":""},"done":true,"done_reason":"length","eval_count":1}\n');
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: { promptTokens: 0, completionTokens: 1, totalTokens: 1 } });
  });

  it('throws upstream_malformed_response when the lines end without done', async () => {
    expect(await failure(fixture('chat-cut.ndjson'))).toMatchObject({
      code: 'upstream_malformed_response',
      message: expect.stringContaining('stream ended before the answer finished'),
    });
  });

  it('throws upstream_error for an {error} line mid-stream', async () => {
    const text = `${fixture('chat-cut.ndjson')}{"error":"an error was encountered while running the model: unexpected EOF"}\n`;
    expect(await failure(text)).toMatchObject({ code: 'upstream_error', message: expect.stringContaining('unexpected EOF') });
  });

  it('throws upstream_malformed_response for a line that is not an object', async () => {
    expect(await failure('[1,2]\n')).toMatchObject({ code: 'upstream_malformed_response' });
  });
});
