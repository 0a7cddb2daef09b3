import { NANO_USD_PER_USD, type TokenPrice, type Usage } from '@ailb/shared';

/**
 * What a served attempt cost, in integer nano-dollars: uncached input at the input price, cached
 * input at the cached price (the input price when none is known: never cheaper than the bill), output
 * at the output price. Prices are per 1M tokens, so one token at $1/1M is 1000 nano-dollars.
 */
export function attemptCostNanoUsd(usage: Usage, price: TokenPrice): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const perToken = NANO_USD_PER_USD / 1_000_000;
  const nanos = ((usage.inputTokens - cached) * price.input + cached * (price.cached_input ?? price.input) + usage.outputTokens * price.output) * perToken;
  return Math.round(nanos);
}

/** Nano-dollars as USD for answers (exact to the nano-dollar). */
export const nanoToUsd = (nanos: number): number => nanos / NANO_USD_PER_USD;
