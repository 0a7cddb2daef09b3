import { CLOSED_CIRCUIT, type CircuitRecord } from './circuit.js';

/**
 * What the cluster knows about one target (`provider/model`): its circuit breaker, outcome counts,
 * latency and time-to-first-token EWMAs of successful attempts, and attempts in flight right now
 * across every worker. Workers write it; gateways read it to filter and order plans.
 */
export interface TargetHealth {
  circuit: CircuitRecord;
  successes: number;
  failures: number;
  /** EWMA of whole-attempt latency of successful attempts; null before the first one. */
  latencyEwmaMs: number | null;
  /** EWMA of time to first content part of successful streams; null before the first one. */
  ttftEwmaMs: number | null;
  inFlight: number;
}

export const UNKNOWN_TARGET_HEALTH: TargetHealth = {
  circuit: CLOSED_CIRCUIT,
  successes: 0,
  failures: 0,
  latencyEwmaMs: null,
  ttftEwmaMs: null,
  inFlight: 0,
};

/** Timing of a successful attempt. */
export interface AttemptTiming {
  latencyMs: number;
  /** Epoch ms when the attempt started: a success from before a circuit opened cannot close it. */
  startedAt: number;
  /** Streams only: time to the first content part. */
  ttftMs?: number | undefined;
}

/** One EWMA step; the first sample seeds the average. */
export function ewma(previous: number | null, sample: number, alpha: number): number {
  return previous === null ? sample : alpha * sample + (1 - alpha) * previous;
}
