import type { RouteTarget } from '../queue/chat-job.js';
import type { AttemptTiming, TargetHealth } from './target-health.js';

/**
 * State shared by every gateway and worker of one deployment (Redis in split mode, memory in the
 * embedded default). Workers write it; gateways read it.
 */

/** Per-provider statistics, in the field names and units `/api/routing/stats` has always used. */
export interface ProviderStatsSnapshot {
  provider: string;
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  /** successful / total, 0..1; 1 when there were no requests yet. */
  success_rate: number;
  /** Exponentially weighted moving average of successful call latency (alpha 0.1). */
  avg_latency_ms: number;
  consecutive_failures: number;
  /** ISO-8601 UTC timestamps ending in `Z`, or null. */
  last_success: string | null;
  last_failure: string | null;
}

/** Smoothing factor for the latency EWMA; the seed used 0.1. */
export const LATENCY_EWMA_ALPHA = 0.1;

/** How long a worker heartbeat counts as alive. */
export const WORKER_HEARTBEAT_TTL_MS = 10_000;

export interface ClusterStateWriter {
  /**
   * A served attempt: provider stats, the target's EWMAs and its circuit; releases the attempt's
   * in-flight `slot` in the same write (one round trip per attempt instead of two).
   */
  recordSuccess(target: RouteTarget, timing: AttemptTiming, slot?: string, at?: number): Promise<void>;
  /** A provider-side failure: provider stats and the target's circuit (see `nextCircuit`); releases `slot`. */
  recordFailure(target: RouteTarget, slot?: string, at?: number): Promise<void>;
  /**
   * Counts an attempt as in flight on the target until `release` or `expiresAt` (so a worker that
   * dies cannot leak a slot). With `maxConcurrency`, refuses (false) when the target is full across
   * every worker, atomically.
   */
  acquireSlot(target: RouteTarget, attemptId: string, expiresAt: number, maxConcurrency?: number): Promise<boolean>;
  releaseSlot(target: RouteTarget, attemptId: string): Promise<void>;
  /** Stores the models a provider reported (for deployments whose config lists none). */
  setDiscoveredModels(provider: string, models: string[]): Promise<void>;
  heartbeat(workerId: string, at?: number): Promise<void>;
  removeWorker(workerId: string): Promise<void>;
}

export interface ClusterStateReader {
  providerStats(providers: string[]): Promise<ProviderStatsSnapshot[]>;
  /** Health by `targetKey`; a target never recorded is absent ({@link UNKNOWN_TARGET_HEALTH}). */
  targetHealth(targetKeys: string[], now?: number): Promise<Map<string, TargetHealth>>;
  /**
   * Claims the single probe of a half-open circuit for `ttlMs`; false when another request holds it.
   * Claims expire by themselves, so a probe whose worker died does not block the target forever.
   */
  claimProbe(targetKey: string, ttlMs: number): Promise<boolean>;
  discoveredModels(): Promise<Map<string, string[]>>;
  liveWorkerCount(now?: number): Promise<number>;
  /** The next round-robin position of a route, counted across every gateway (starts at 0). */
  nextRoundRobin(route: string): Promise<number>;
}

/** Turns raw counters into the public snapshot; one implementation for every store. */
export function toStatsSnapshot(
  provider: string,
  raw: { total: number; success: number; failed: number; latencyEwma: number; consecutiveFailures: number; lastSuccess: number | null; lastFailure: number | null },
): ProviderStatsSnapshot {
  return {
    provider,
    total_requests: raw.total,
    successful_requests: raw.success,
    failed_requests: raw.failed,
    success_rate: raw.total === 0 ? 1 : raw.success / raw.total,
    avg_latency_ms: Math.round(raw.latencyEwma * 100) / 100,
    consecutive_failures: raw.consecutiveFailures,
    last_success: raw.lastSuccess === null ? null : new Date(raw.lastSuccess).toISOString(),
    last_failure: raw.lastFailure === null ? null : new Date(raw.lastFailure).toISOString(),
  };
}
