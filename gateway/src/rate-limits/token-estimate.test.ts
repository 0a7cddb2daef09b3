import { describe, expect, it } from 'vitest';
import { openAIChatTokenInput } from '../routes/openai/chat-token-input.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, estimateChatTokens, loadTokenizer } from './token-estimate.js';

describe('chat token estimate', () => {
  it('counts the prompt with the tokenizer, 4 per message, 3 for the reply, plus the output cap', async () => {
    const count = await loadTokenizer();
    expect(count('hello world')).toBe(2);
    const input = openAIChatTokenInput({
      model: 'm',
      max_completion_tokens: 50,
      max_tokens: 999,
      messages: [
        { role: 'system', content: 'hello world' },
        { role: 'user', content: [{ type: 'text', text: 'hello world' }, { type: 'image_url', image_url: { url: 'data:,' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
      ],
    });
    expect(input).toEqual({ texts: ['hello world', 'hello world', 'lookup', '{"q":"x"}'], messages: 3, maxOutputTokens: 50 });
    const prompt = 2 + 2 + count('lookup') + count('{"q":"x"}');
    expect(estimateChatTokens(input, count)).toBe(prompt + 3 * 4 + 3 + 50);
    // Without a cap, the default output reservation applies.
    expect(estimateChatTokens({ ...input, maxOutputTokens: undefined }, count)).toBe(prompt + 15 + DEFAULT_MAX_OUTPUT_TOKENS);
  });

  it('reads whatever body it is given without throwing: nonsense counts as nothing', () => {
    for (const body of [null, 'text', 42, [], { messages: 'no' }, { messages: [null, 1, { content: 5 }], max_tokens: -1 }, { max_tokens: 1.5 }]) {
      expect(openAIChatTokenInput(body).texts).toEqual([]);
      expect(openAIChatTokenInput(body).maxOutputTokens).toBeUndefined();
    }
  });
});
