import type { ProviderType, TokenPrice } from '@ailb/shared';

type Row = readonly [input: number, cachedInput: number | undefined, output: number];

/*
 * List prices in USD per 1M tokens — input, cached input (prompt-cache hits), output — of common
 * OpenAI and Anthropic models. They rank targets for `cost_optimized` and price the cost ledger; a
 * route target's `price` overrides them. Standard tier, no batch discount, no long-context surcharge.
 *
 * OpenAI, read 2026-12-02: "Pricing" (https://developers.openai.com/api/docs/pricing) as collected in
 * simonw/llm-prices `data/openai.json`, cross-checked with the model pages
 * (https://developers.openai.com/api/docs/models/<id>). o3 is the June 2025 price (2 / 0.5 / 8); the
 * collected file still lists the old input and output with the new cached price. gpt-5.4 and gpt-5.5
 * are the ≤272k-token-prompt prices. Models without a cached price have no cache discount.
 *
 * Anthropic, read 2026-12-02: "Pricing → Model pricing"
 * (https://platform.claude.com/docs/en/about-claude/pricing), column "Cache hits & refreshes" as the
 * cached price. Cache writes (1.25×–2× input) are billed at the input price here: the usage AILB
 * gets does not separate them.
 */
const ROWS: Record<string, Row> = {
  'gpt-5.5': [5, 0.5, 30],
  'gpt-5.4': [2.5, 0.25, 15],
  'gpt-5.4-mini': [0.75, 0.075, 4.5],
  'gpt-5.4-nano': [0.2, 0.02, 1.25],
  'gpt-5.2': [1.75, 0.175, 14],
  'gpt-5.1': [1.25, 0.125, 10],
  'gpt-5': [1.25, 0.125, 10],
  'gpt-5-mini': [0.25, 0.025, 2],
  'gpt-5-nano': [0.05, 0.005, 0.4],
  'gpt-4.1': [2, 0.5, 8],
  'gpt-4.1-mini': [0.4, 0.1, 1.6],
  'gpt-4.1-nano': [0.1, 0.025, 0.4],
  'gpt-4o': [2.5, 1.25, 10],
  'gpt-4o-mini': [0.15, 0.075, 0.6],
  'gpt-4-turbo': [10, undefined, 30],
  'gpt-4': [30, undefined, 60],
  'gpt-3.5-turbo': [0.5, undefined, 1.5],
  o1: [15, 7.5, 60],
  'o1-mini': [1.1, 0.55, 4.4],
  o3: [2, 0.5, 8],
  'o3-mini': [1.1, 0.55, 4.4],
  'o4-mini': [1.1, 0.275, 4.4],
  'claude-opus-5': [5, 0.5, 25],
  'claude-opus-4-8': [5, 0.5, 25],
  'claude-opus-4-7': [5, 0.5, 25],
  'claude-opus-4-6': [5, 0.5, 25],
  'claude-opus-4-5': [5, 0.5, 25],
  'claude-opus-4-1': [15, 1.5, 75],
  'claude-opus-4': [15, 1.5, 75],
  'claude-opus-4-0': [15, 1.5, 75],
  'claude-sonnet-4-6': [3, 0.3, 15],
  'claude-sonnet-4-5': [3, 0.3, 15],
  'claude-sonnet-4': [3, 0.3, 15],
  'claude-sonnet-4-0': [3, 0.3, 15],
  'claude-3-7-sonnet': [3, 0.3, 15],
  // Retired and off the current page; its last list price, the same as its successors'.
  'claude-3-5-sonnet': [3, 0.3, 15],
  'claude-haiku-4-5': [1, 0.1, 5],
  'claude-3-5-haiku': [0.8, 0.08, 4],
  'claude-3-opus': [15, 1.5, 75],
  'claude-3-haiku': [0.25, 0.03, 1.25],
};

const PRICES: ReadonlyMap<string, TokenPrice> = new Map(
  Object.entries(ROWS).map(([model, [input, cachedInput, output]]) => [model, cachedInput === undefined ? { input, output } : { input, output, cached_input: cachedInput }]),
);

const FREE: TokenPrice = { input: 0, output: 0, cached_input: 0 };

/*
 * Dated snapshots and aliases cost what their family costs: gpt-4o-2024-08-06, claude-3-opus-20240229,
 * claude-3-opus@20240229 (Vertex), claude-3-5-haiku-latest, gpt-4-0613, gpt-3.5-turbo-0125. Only a
 * whole suffix is removed and the rest must match a name exactly, so gpt-4o-mini-2024-07-18 is
 * gpt-4o-mini, never gpt-4o; anything else (gpt-4o-audio-preview) stays unknown rather than guessed.
 */
const SNAPSHOT_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-latest|-\d{4})$/;

/** The built-in list price of a model, or undefined when the table does not know it. */
export function builtInPrice(model: string): TokenPrice | undefined {
  // A Map, not an object lookup: a model named "constructor" must not find Object.prototype.
  return PRICES.get(model) ?? PRICES.get(model.replace(SNAPSHOT_SUFFIX, ''));
}

/**
 * The price of a target: the route's own `price` if given; free for Ollama deployments (local
 * hardware has no per-token bill); otherwise the built-in table, or undefined.
 */
export function targetPrice(target: { model: string; price?: TokenPrice | undefined }, providerType: ProviderType | undefined): TokenPrice | undefined {
  if (target.price) return target.price;
  if (providerType === 'ollama') return FREE;
  return builtInPrice(target.model);
}
