import type { ProviderType, TokenPrice } from '@ailb/shared';

/**
 * List prices in USD per 1M tokens (input, output) of common OpenAI and Anthropic models, for
 * `cost_optimized` when a route gives no `price`. Only the ranking matters, so a stale entry costs
 * a suboptimal order, never a wrong answer; a route's `price` overrides any of these.
 */
const PRICES: ReadonlyMap<string, TokenPrice> = new Map(Object.entries({
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
}));

const FREE: TokenPrice = { input: 0, output: 0 };

// Dated snapshots and aliases cost what their family costs: gpt-4o-2024-08-06, claude-sonnet-4-5-20250929,
// claude-3-5-haiku-latest. Anything else (gpt-4o-audio-preview) stays unknown rather than guessed.
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/** The built-in list price of a model, or undefined when the table does not know it. */
export function builtInPrice(model: string): TokenPrice | undefined {
  // A Map, not an object lookup: a model named "constructor" must not find Object.prototype.
  return PRICES.get(model) ?? PRICES.get(model.replace(SNAPSHOT_SUFFIX, ''));
}

/**
 * The price `cost_optimized` ranks a target by: the route's own `price` if given; free for Ollama
 * deployments (local hardware has no per-token bill); otherwise the built-in table, or undefined.
 */
export function targetPrice(target: { model: string; price?: TokenPrice | undefined }, providerType: ProviderType | undefined): TokenPrice | undefined {
  if (target.price) return target.price;
  if (providerType === 'ollama') return FREE;
  return builtInPrice(target.model);
}
