import { compareLatency, isUnmeasured, pickIndex, type Strategy } from './route-candidate.js';

/** Share of requests that go to a random candidate first, so a target that got faster is noticed. */
export const EXPLORATION_RATE = 0.05;

/**
 * `latency_optimized`: lowest EWMA latency first. A candidate without samples goes first (so it gets
 * measured at all); otherwise, with probability {@link EXPLORATION_RATE}, a random candidate leads
 * and the rest follow by latency. Ties keep config order.
 */
export const latencyOptimized: Strategy = (candidates, context) => {
  const ordered = [...candidates].sort(compareLatency);
  if (ordered.length < 2 || isUnmeasured(ordered[0]!)) return ordered;
  if (context.random() >= EXPLORATION_RATE) return ordered;
  const [explored] = ordered.splice(pickIndex(context.random, ordered.length), 1);
  return [explored!, ...ordered];
};
