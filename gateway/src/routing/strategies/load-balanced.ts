import { compareLatency, type Strategy } from './route-candidate.js';

/**
 * `load_balanced`: fewest in-flight requests first; ties by latency (unknown latency first, so a new
 * target is probed), then config order.
 */
export const loadBalanced: Strategy = (candidates) =>
  [...candidates].sort((left, right) => left.stats.inFlight - right.stats.inFlight || compareLatency(left, right));
