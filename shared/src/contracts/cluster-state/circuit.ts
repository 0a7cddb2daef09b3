import type { CircuitPolicy } from '../config/config.schema.js';
import type { RouteTarget } from '../queue/chat-job.js';

/*
 * A circuit breaker per target (deployment + upstream model), shared by every worker and gateway.
 * closed → open after `failureThreshold` consecutive provider-side failures, or when the failure
 * rate (an EWMA of outcomes) reaches `errorRateThreshold` over at least `minSamples` attempts; open →
 * half-open once `cooldownMs` has passed, where a single probe request is admitted; the probe's
 * success closes it (and forgets the old rate), its failure opens it again for another cooldown.
 * Only provider-side failures count.
 */

export const DEFAULT_CIRCUIT: CircuitPolicy = { failureThreshold: 3, cooldownMs: 15_000, minSamples: 20, errorRateAlpha: 0.1 };

/** What the shared state stores for one target. */
export interface CircuitRecord {
  open: boolean;
  consecutiveFailures: number;
  /** Epoch ms of the last time the circuit opened (or re-opened after a failed probe). */
  openedAt: number | null;
  /** EWMA of failures (1) and successes (0) since the circuit last closed from open. */
  errorRate: number;
  /** Outcomes the error rate is built from. */
  samples: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export const CLOSED_CIRCUIT: CircuitRecord = { open: false, consecutiveFailures: 0, openedAt: null, errorRate: 0, samples: 0 };

/**
 * The circuit after an attempt's outcome. The reference implementation: the Redis store runs the same
 * rules in a Lua script so concurrent workers cannot interleave them.
 */
export function nextCircuit(record: CircuitRecord, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number, attemptStartedAt: number = now): CircuitRecord {
  const alpha = policy.errorRateAlpha;
  if (outcome === 'success') {
    if (record.open) {
      // Only an attempt admitted after the circuit opened (the probe) may close it; a success from a
      // request that was already running says nothing about the target now.
      if (record.openedAt !== null && attemptStartedAt < record.openedAt) return record;
      // A probe that succeeds starts the target afresh.
      return CLOSED_CIRCUIT;
    }
    return { open: false, consecutiveFailures: 0, openedAt: null, errorRate: (1 - alpha) * record.errorRate, samples: record.samples + 1 };
  }
  const consecutiveFailures = record.consecutiveFailures + 1;
  const errorRate = alpha + (1 - alpha) * record.errorRate;
  const samples = record.samples + 1;
  const tooManyInARow = consecutiveFailures >= policy.failureThreshold;
  const tooHighARate = policy.errorRateThreshold !== undefined && samples >= policy.minSamples && errorRate >= policy.errorRateThreshold;
  if (record.open || tooManyInARow || tooHighARate) return { open: true, consecutiveFailures, openedAt: now, errorRate, samples };
  return { open: false, consecutiveFailures, openedAt: record.openedAt, errorRate, samples };
}

/** How a gateway sees a circuit now: an open circuit past its cooldown admits one probe. */
export function circuitState(record: CircuitRecord, policy: CircuitPolicy, now: number): CircuitState {
  if (!record.open) return 'closed';
  return record.openedAt !== null && now - record.openedAt >= policy.cooldownMs ? 'half_open' : 'open';
}

/** The key of a target in shared state and in headers: `provider/model`. */
export function targetKey(target: RouteTarget): string {
  return `${target.provider}/${target.model}`;
}
