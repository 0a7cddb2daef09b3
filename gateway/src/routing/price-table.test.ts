import { describe, expect, it } from 'vitest';
import { builtInPrice, targetPrice } from './price-table.js';

describe('price table', () => {
  it('knows common OpenAI and Anthropic models with their cached-input price', () => {
    expect(builtInPrice('gpt-4o')).toEqual({ input: 2.5, output: 10, cached_input: 1.25 });
    expect(builtInPrice('gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6, cached_input: 0.075 });
    expect(builtInPrice('claude-haiku-4-5')).toEqual({ input: 1, output: 5, cached_input: 0.1 });
    // No cache discount published: no cached price (billed at the input price).
    expect(builtInPrice('gpt-3.5-turbo')).toEqual({ input: 0.5, output: 1.5 });
  });

  it('prices dated snapshots and aliases as their family, never as a longer or shorter name', () => {
    expect(builtInPrice('claude-3-opus-20240229')).toEqual(builtInPrice('claude-3-opus'));
    expect(builtInPrice('claude-3-opus-20240229')?.input).toBe(15);
    expect(builtInPrice('claude-3-opus@20240229')?.input).toBe(15);
    expect(builtInPrice('gpt-4o-2024-08-06')).toEqual(builtInPrice('gpt-4o'));
    expect(builtInPrice('gpt-4o-mini-2024-07-18')).toEqual(builtInPrice('gpt-4o-mini'));
    expect(builtInPrice('gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
    expect(builtInPrice('claude-sonnet-4-5-20250929')?.input).toBe(3);
    expect(builtInPrice('claude-opus-4-1-20250805')?.input).toBe(15);
    expect(builtInPrice('claude-opus-4-5-20251101')?.input).toBe(5);
    expect(builtInPrice('claude-3-5-haiku-latest')?.input).toBe(0.8);
    expect(builtInPrice('gpt-4-0613')?.input).toBe(30);
    expect(builtInPrice('gpt-3.5-turbo-0125')?.input).toBe(0.5);
    expect(builtInPrice('o3-mini-2025-01-31')?.input).toBe(1.1);
    expect(builtInPrice('o3-2025-04-16')?.input).toBe(2);
    expect(builtInPrice('gpt-4.1-nano-2025-04-14')?.input).toBe(0.1);
  });

  it('does not guess: other variants and odd names are unknown', () => {
    expect(builtInPrice('gpt-4o-audio-preview')).toBeUndefined();
    expect(builtInPrice('gpt-4o-mini-tts')).toBeUndefined();
    expect(builtInPrice('gpt-4o-2024-08-06-2024-08-06')).toBeUndefined();
    expect(builtInPrice('my-gpt-4o')).toBeUndefined();
    expect(builtInPrice('llama3.2:latest')).toBeUndefined();
    expect(builtInPrice('constructor')).toBeUndefined();
  });

  it("prefers the route's price, then free for Ollama, then the table", () => {
    expect(targetPrice({ model: 'gpt-4o', price: { input: 1, output: 2 } }, 'openai')).toEqual({ input: 1, output: 2 });
    expect(targetPrice({ model: 'llama3.2', price: { input: 1, output: 2, cached_input: 0.5 } }, 'ollama')).toEqual({ input: 1, output: 2, cached_input: 0.5 });
    expect(targetPrice({ model: 'gpt-4o' }, 'ollama')).toEqual({ input: 0, output: 0, cached_input: 0 });
    expect(targetPrice({ model: 'gpt-4o-2024-08-06' }, 'openai')).toEqual({ input: 2.5, output: 10, cached_input: 1.25 });
    expect(targetPrice({ model: 'my-finetune' }, 'openai')).toBeUndefined();
  });
});
