import type { RouteCandidate } from '../../src/routing/strategies/route-candidate.js';

/** A candidate for strategy tests: named `provider` with model `m`, unmeasured, priority 0, weight 1. */
export function candidate(provider: string, overrides: Partial<Omit<RouteCandidate, 'stats'>> & { stats?: Partial<RouteCandidate['stats']> } = {}): RouteCandidate {
  const { stats, ...rest } = overrides;
  return { target: { provider, model: 'm' }, priority: 0, weight: 1, ...rest, stats: { avgLatencyMs: null, samples: 0, inFlight: 0, ...stats } };
}

/** Provider ids in order, for compact assertions. */
export const ids = (candidates: readonly RouteCandidate[]): string[] => candidates.map((entry) => entry.target.provider);

/** A random source that returns the given numbers in turn and fails the test if asked for more. */
export function sequence(...numbers: number[]): () => number {
  return () => {
    const next = numbers.shift();
    if (next === undefined) throw new Error('random() called more often than the test expected');
    return next;
  };
}

/** Context defaults: no randomness allowed, position 0, not streaming. */
export const context = (overrides: Partial<{ random: () => number; roundRobinPosition: number; stream: boolean }> = {}) => ({ random: sequence(), roundRobinPosition: 0, stream: false, ...overrides });
