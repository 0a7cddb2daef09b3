import type { RoutingStrategy } from '@ailb/shared';
import { costOptimized } from './cost-optimized.js';
import { failover } from './failover.js';
import { latencyOptimized } from './latency-optimized.js';
import { loadBalanced } from './load-balanced.js';
import { random } from './random.js';
import { roundRobin } from './round-robin.js';
import type { Strategy } from './route-candidate.js';

export type { CandidateStats, RouteCandidate, Strategy, StrategyContext } from './route-candidate.js';

/** Every configurable strategy name and the function that implements it. */
export const strategies: Readonly<Record<RoutingStrategy, Strategy>> = {
  round_robin: roundRobin,
  cost_optimized: costOptimized,
  latency_optimized: latencyOptimized,
  load_balanced: loadBalanced,
  failover,
  random,
};
