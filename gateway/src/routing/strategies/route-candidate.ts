import type { RouteTarget, TokenPrice } from '@ailb/shared';

/** What the shared state knows about a candidate's recent behaviour. */
export interface CandidateStats {
  /** EWMA of successful call latency; null while there are no samples. */
  avgLatencyMs: number | null;
  /** Successful calls the average is built from. */
  samples: number;
  /** Requests running on the candidate right now, across the cluster. */
  inFlight: number;
}

/** One target a strategy may order, with everything a strategy may look at. */
export interface RouteCandidate {
  target: RouteTarget;
  /** Lower is tried first by `failover`. */
  priority: number;
  /** Relative share under `random`. */
  weight: number;
  /** USD per 1M tokens; undefined when the price is unknown. */
  price?: TokenPrice;
  stats: CandidateStats;
}

/** Inputs that are not properties of a candidate, passed in so strategies stay pure and testable. */
export interface StrategyContext {
  /** A source of uniform numbers in [0, 1), e.g. Math.random. */
  random: () => number;
  /** How many requests this route has served so far; round_robin starts from it. */
  roundRobinPosition: number;
  /** Whether the request streams (latency of the first token matters most then). */
  stream: boolean;
}

/**
 * Orders candidates: returns all of them, the first being the choice and the rest the failover order.
 * Never mutates its input.
 */
export type Strategy = (candidates: readonly RouteCandidate[], context: StrategyContext) => RouteCandidate[];

/** Index in [0, length) from a uniform number; clamps so a source returning 1 cannot overrun. */
export function pickIndex(random: () => number, length: number): number {
  return Math.min(Math.floor(random() * length), length - 1);
}

/** A candidate's latency, or null when it has no samples yet. */
const knownLatency = (candidate: RouteCandidate): number | null => (candidate.stats.samples > 0 ? candidate.stats.avgLatencyMs : null);

/** Orders by latency, unknown latency first so a target without samples still gets probed. */
export function compareLatency(left: RouteCandidate, right: RouteCandidate): number {
  const a = knownLatency(left);
  const b = knownLatency(right);
  if (a === null || b === null) return (a === null ? 0 : 1) - (b === null ? 0 : 1);
  return a - b;
}

/** True when the candidate has no latency samples yet. */
export const isUnmeasured = (candidate: RouteCandidate): boolean => knownLatency(candidate) === null;
