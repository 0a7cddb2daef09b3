import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/index.js';
import { ChunkEncoder, openAIErrorBody, toChatCompletion } from '../src/codecs/openai-chat/index.js';

const identity = { id: 'chatcmpl-test', created: 1_700_000_000, model: 'gpt-4o-2024-08-06' };

describe('toChatCompletion', () => {
  it('builds the OpenAI shape with tool calls, finish reason and usage details', () => {
    const completion = toChatCompletion(identity, {
      content: [{ type: 'reasoning', text: 'hidden' }, { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: '{"q":1}' }],
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 },
      response: { modelId: 'gpt-4o-2024-08-06' },
    });
    expect(completion).toEqual({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
    });
  });

  it('omits usage the provider did not report instead of inventing it, and keeps an empty answer empty', () => {
    const completion = toChatCompletion(identity, { content: [{ type: 'text', text: '' }], finishReason: { unified: 'stop', raw: null }, usage: null, response: { modelId: 'm' } });
    expect(completion).not.toHaveProperty('usage');
    expect(completion.choices[0]!.message).toEqual({ role: 'assistant', content: '', refusal: null });
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content-filter', 'content_filter'],
    ['tool-calls', 'tool_calls'],
    ['other', 'stop'],
    ['error', 'stop'],
  ] as const)('says %s as %s', (unified, openai) => {
    expect(toChatCompletion(identity, { content: [], finishReason: { unified, raw: null }, usage: null, response: { modelId: 'm' } }).choices[0]!.finish_reason).toBe(openai);
  });
});

describe('ChunkEncoder', () => {
  it('encodes parts as OpenAI chunks, numbering tool calls, with usage null on every chunk and a final usage chunk', () => {
    const encoder = new ChunkEncoder(identity, true);
    const chunks = [
      encoder.roleChunk(),
      ...encoder.encode({ type: 'stream-start', warnings: [] }),
      ...encoder.encode({ type: 'response-metadata', modelId: 'x' }),
      ...encoder.encode({ type: 'text-start', id: 't' }),
      ...encoder.encode({ type: 'text-delta', id: 't', delta: '' }),
      ...encoder.encode({ type: 'text-end', id: 't' }),
      ...encoder.encode({ type: 'tool-input-start', id: 'call_9', toolName: 'lookup' }),
      ...encoder.encode({ type: 'tool-input-delta', id: 'call_9', delta: '{"q"' }),
      ...encoder.encode({ type: 'tool-input-end', id: 'call_9' }),
      ...encoder.encode({ type: 'tool-call', toolCallId: 'call_9', toolName: 'lookup', input: '{"q"' }),
      // A call that arrives whole (no input parts) is sent whole, as the next index.
      ...encoder.encode({ type: 'tool-call', toolCallId: 'call_10', toolName: 'other', input: '{}' }),
      ...encoder.encode({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
    ];
    expect(chunks.map((chunk) => [chunk.choices[0]?.delta ?? null, chunk.choices[0]?.finish_reason ?? null, chunk.usage])).toEqual([
      [{ role: 'assistant', content: '' }, null, null],
      [{ tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '' } }] }, null, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"q"' } }] }, null, null],
      [{ tool_calls: [{ index: 1, id: 'call_10', type: 'function', function: { name: 'other', arguments: '' } }] }, null, null],
      [{ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, null, null],
      [{}, 'tool_calls', null],
      [null, null, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }],
    ]);
    expect(chunks.at(-1)!.choices).toEqual([]);
  });

  it('leaves usage out entirely without include_usage', () => {
    const chunks = new ChunkEncoder(identity, false).encode({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).not.toHaveProperty('usage');
  });
});

describe('openAIErrorBody', () => {
  it('is the OpenAI envelope', () => {
    expect(openAIErrorBody(new GatewayError('model_not_found', 'nope', { param: 'model' }))).toEqual({ error: { message: 'nope', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
  });
});
