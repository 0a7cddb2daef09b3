import type { CircuitPolicy } from '../config/config.schema.js';
import type { RouteTarget } from '../queue/chat-job.js';
import type { AttemptTiming, TargetHealth } from './target-health.js';

/*
 * State shared by every gateway and worker of one deployment: Redis in split mode, memory in the
 * embedded default (`@ailb/shared/runtime` has both, and parity tests hold them to the same rules).
 * The contract is cut by capability; `GatewayState` and `WorkerState` are what each role needs.
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

/** How long a worker's or embedder's heartbeat counts as alive. */
export const WORKER_HEARTBEAT_TTL_MS = 10_000;

/** Reading what workers recorded: target health for planning, provider statistics for reports. */
export interface HealthView {
  /**
   * How long a gateway may reuse health it read. Absent: the gateway's default (250 ms, so an opening
   * circuit takes effect quickly without a Redis read per request); 0 for state held in memory, whose
   * reads cost nothing. Where the state can tell (Redis), a circuit that opens is also published on
   * the control-plane topic `circuits`, and gateways drop what they cached at once.
   */
  readonly healthCacheMs?: number;
  /** Health by `targetKey`; a target never recorded is absent ({@link UNKNOWN_TARGET_HEALTH}). */
  targetHealth(targetKeys: string[], now?: number): Promise<Map<string, TargetHealth>>;
  providerStats(providers: string[]): Promise<ProviderStatsSnapshot[]>;
}

/**
 * The single probe of a half-open circuit, across every gateway. A claim expires by itself (so a probe
 * whose worker died cannot block the target forever) and can be released early by its holder.
 */
export interface ProbeGate {
  /** Claims the probe for `ttlMs` under `claimId`; false when another request holds it. */
  claimProbe(targetKey: string, claimId: string, ttlMs: number): Promise<boolean>;
  /** Gives the probe back if `claimId` still holds it (a request that ended without trying the target). */
  releaseProbe(targetKey: string, claimId: string): Promise<void>;
}

/** A route's round-robin position, counted across every gateway. */
export interface RoundRobinCounter {
  /** The next position of a route (starts at 0). */
  nextRoundRobin(route: string): Promise<number>;
}

/** What workers record about attempts: outcomes (health, circuits, statistics) and in-flight slots. */
export interface AttemptRecorder {
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
}

/** The services that announce themselves: gateways (the edge), workers (chat) and embedders (memory, knowledge bases). */
export type ServiceKind = 'gateway' | 'worker' | 'embedder';

/** Every service kind, for listings. */
export const SERVICE_KINDS: readonly ServiceKind[] = ['gateway', 'worker', 'embedder'];

/** An instance's own view of its health, as it last announced it (the ModuleService's HealthStatus values). */
export type InstanceHealth = 'healthy' | 'degraded' | 'unhealthy' | 'starting' | 'stopping';

/** What an instance announces with each heartbeat: listed by `GetInstances`, read for version-aware routing. */
export interface InstanceDetails {
  /** Its `VERSION` (blue/green). */
  version: string;
  /** Where it is reached, `host:port`: a gateway's HTTP listener, an embedder's metrics listener; '' for a worker (it listens on nothing). */
  address: string;
  health: InstanceHealth;
  /** When the instance started (epoch ms). */
  startedAt: number;
  /** Open client connections (gateway) or jobs running (worker, embedder). */
  connections: number;
  /** A few more facts, such as a gateway's gRPC address. Small and bounded: it travels with every heartbeat. */
  metadata?: Record<string, string>;
}

/** A live instance as listed: who it is, when it last said so, and what it said. */
export interface LiveInstance extends InstanceDetails {
  kind: ServiceKind;
  id: string;
  /** Its last heartbeat (epoch ms). */
  lastSeen: number;
}

/** Which gateways, workers and embedders are alive, so a gateway refuses at once what nobody could run. */
export interface ServiceRegistry {
  /**
   * Says the instance is alive; `details` (version, address, health …) replace what it announced last.
   * One round trip per beat, details or not. An instance that never sends details is listed with
   * version '' and health `healthy`.
   */
  heartbeat(service: ServiceKind, id: string, at?: number, details?: InstanceDetails): Promise<void>;
  deregister(service: ServiceKind, id: string): Promise<void>;
  /** Instances of `service` whose last heartbeat is younger than {@link WORKER_HEARTBEAT_TTL_MS}. */
  liveCount(service: ServiceKind, now?: number): Promise<number>;
  /** The live instances of `service` with their last details, ordered by id. */
  liveInstances(service: ServiceKind, now?: number): Promise<LiveInstance[]>;
}

/** Models deployments reported, for deployments whose configuration lists none. */
export interface ModelRegistry {
  setDiscoveredModels(provider: string, models: string[]): Promise<void>;
  discoveredModels(): Promise<Map<string, string[]>>;
}

/** Everything a store implements. */
export type ClusterState = HealthView & ProbeGate & RoundRobinCounter & AttemptRecorder & ServiceRegistry & ModelRegistry;

/** What a gateway uses: it reads health and plans; it writes probe claims, rotation and its own heartbeat. */
export type GatewayState = HealthView & ProbeGate & RoundRobinCounter & ServiceRegistry & Pick<ModelRegistry, 'discoveredModels'>;

/** What a worker uses: it records attempts, announces itself and reports discovered models. */
export type WorkerState = AttemptRecorder & Pick<ServiceRegistry, 'heartbeat' | 'deregister'> & Pick<ModelRegistry, 'setDiscoveredModels'>;

/** What an embedder uses: it announces itself. */
export type EmbedderState = Pick<ServiceRegistry, 'heartbeat' | 'deregister'>;

/** The rules a store applies to records (the same for Redis and memory). */
export interface ClusterStatePolicy {
  circuit: CircuitPolicy;
  /** Weight of the newest sample in the latency and TTFT EWMAs. */
  ewmaAlpha: number;
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
