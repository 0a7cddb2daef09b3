import { describe, expect, it } from 'vitest';
import { ChunkFormatter, toChatCompletion } from './openai-format.js';

const identity = { id: 'chatcmpl-test', created: 1_700_000_000, model: 'gpt-4o-2024-08-06' };

describe('toChatCompletion', () => {
  it('builds the OpenAI shape with tool calls, finish reason and usage details', () => {
    const completion = toChatCompletion(identity, {
      model: 'gpt-4o-2024-08-06',
      content: null,
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":1}' }],
      finishReason: { unified: 'tool_calls', raw: 'tool_use' },
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedPromptTokens: 4 },
    });
    expect(completion).toEqual({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      system_fingerprint: null,
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

  it('omits usage the provider did not report instead of inventing it', () => {
    const completion = toChatCompletion(identity, { model: 'm', content: 'hi', toolCalls: [], finishReason: { unified: 'stop', raw: null }, usage: null });
    expect(completion).not.toHaveProperty('usage');
    expect(completion.choices[0]!.message).not.toHaveProperty('tool_calls');
  });
});

describe('ChunkFormatter', () => {
  it('formats parts as OpenAI chunks, with usage null on every chunk and a final usage chunk', () => {
    const formatter = new ChunkFormatter(identity, true);
    const chunks = [
      formatter.roleChunk(),
      ...formatter.format({ type: 'response-metadata', model: 'x' }),
      ...formatter.format({ type: 'text-delta', delta: '' }),
      ...formatter.format({ type: 'tool-call-start', index: 0, id: 'call_9', name: 'lookup' }),
      ...formatter.format({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"q"' }),
      ...formatter.format({ type: 'finish', finishReason: { unified: 'tool_calls', raw: 'tool_calls' }, usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } }),
    ];
    expect(chunks.map((chunk) => [chunk.choices[0]?.delta ?? null, chunk.choices[0]?.finish_reason ?? null, chunk.usage])).toEqual([
      [{ role: 'assistant', content: '' }, null, null],
      [{ tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '' } }] }, null, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"q"' } }] }, null, null],
      [{}, 'tool_calls', null],
      [null, null, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }],
    ]);
    expect(chunks.at(-1)!.choices).toEqual([]);
  });

  it('leaves usage out entirely without include_usage', () => {
    const formatter = new ChunkFormatter(identity, false);
    const chunks = formatter.format({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).not.toHaveProperty('usage');
  });
});
