import { describe, expect, it } from 'vitest';
import { builtInPrice, targetPrice } from './price-table.js';

describe('price table', () => {
  it('knows common OpenAI and Anthropic models, dated snapshots and -latest aliases included', () => {
    expect(builtInPrice('gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(builtInPrice('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(builtInPrice('claude-sonnet-4-5-20250929')).toEqual({ input: 3, output: 15 });
    expect(builtInPrice('claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
  });

  it('does not guess: other variants and odd names are unknown', () => {
    expect(builtInPrice('gpt-4o-audio-preview')).toBeUndefined();
    expect(builtInPrice('llama3.2:latest')).toBeUndefined();
    expect(builtInPrice('constructor')).toBeUndefined();
  });

  it("prefers the route's price, then free for Ollama, then the table", () => {
    expect(targetPrice({ model: 'gpt-4o', price: { input: 1, output: 2 } }, 'openai')).toEqual({ input: 1, output: 2 });
    expect(targetPrice({ model: 'llama3.2', price: { input: 1, output: 2 } }, 'ollama')).toEqual({ input: 1, output: 2 });
    expect(targetPrice({ model: 'gpt-4o' }, 'ollama')).toEqual({ input: 0, output: 0 });
    expect(targetPrice({ model: 'gpt-4o' }, 'openai')).toEqual({ input: 2.5, output: 10 });
    expect(targetPrice({ model: 'my-finetune' }, 'openai')).toBeUndefined();
  });
});
