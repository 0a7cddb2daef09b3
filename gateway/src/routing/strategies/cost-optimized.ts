import type { RouteCandidate, Strategy } from './route-candidate.js';

/** Input plus output price per 1M tokens; unknown prices sort after every known one. */
const cost = (candidate: RouteCandidate): number => (candidate.price ? candidate.price.input + candidate.price.output : Number.POSITIVE_INFINITY);

/**
 * `cost_optimized`: cheapest first by input + output price per 1M tokens (a blend that ranks models
 * the way their list prices do without knowing the request's output length). Ties keep config order.
 */
export const costOptimized: Strategy = (candidates) => [...candidates].sort((left, right) => {
  const a = cost(left);
  const b = cost(right);
  // Infinity - Infinity is NaN; two unknown prices are a tie.
  return a === b ? 0 : a - b;
});
