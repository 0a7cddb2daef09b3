import type { RouteTarget } from '../queue/chat-job.js';

/**
 * A circuit breaker per target (deployment + upstream model), shared by every worker and gateway.
 * closed → open after `failureThreshold` consecutive provider-side failures; open → half-open once
 * `cooldownMs` has passed, where a single probe request is admitted; the probe's success closes it,
 * its failure opens it again for another cooldown. Only provider-side failures count.
 */
export interface CircuitPolicy {
  failureThreshold: number;
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitPolicy = { failureThreshold: 3, cooldownMs: 15_000 };

/** What the shared state stores for one target. */
export interface CircuitRecord {
  open: boolean;
  consecutiveFailures: number;
  /** Epoch ms of the last time the circuit opened (or re-opened after a failed probe). */
  openedAt: number | null;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export const CLOSED_CIRCUIT: CircuitRecord = { open: false, consecutiveFailures: 0, openedAt: null };

/**
 * The circuit after an attempt's outcome. The reference implementation: the Redis store runs the same
 * rules in a Lua script so concurrent workers cannot interleave them.
 */
export function nextCircuit(record: CircuitRecord, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): CircuitRecord {
  if (outcome === 'success') return CLOSED_CIRCUIT;
  const consecutiveFailures = record.consecutiveFailures + 1;
  if (record.open || consecutiveFailures >= policy.failureThreshold) return { open: true, consecutiveFailures, openedAt: now };
  return { open: false, consecutiveFailures, openedAt: record.openedAt };
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
