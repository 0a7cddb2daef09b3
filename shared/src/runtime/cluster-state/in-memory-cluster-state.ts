import {
  ewma,
  nextCircuit,
  targetKey,
  toStatsSnapshot,
  UNKNOWN_TARGET_HEALTH,
  WORKER_HEARTBEAT_TTL_MS,
  type AttemptTiming,
  type ClusterState,
  type ClusterStatePolicy,
  type InstanceDetails,
  type LiveInstance,
  type ProviderStatsSnapshot,
  type RouteTarget,
  type ServiceKind,
  type TargetHealth,
} from '../../index.js';
import { toLiveInstance } from './live-instance.js';

interface RawStats {
  total: number;
  success: number;
  failed: number;
  latencyEwma: number | null;
  consecutiveFailures: number;
  lastSuccess: number | null;
  lastFailure: number | null;
}

/**
 * The cluster state of the embedded default (one process): the same contract and rules as the Redis
 * store, which the parity tests check history by history, sequentially and concurrently.
 */
export class InMemoryClusterState implements ClusterState {
  private readonly stats = new Map<string, RawStats>();
  private readonly models = new Map<string, string[]>();
  /** Per service kind: instance id → last heartbeat (epoch ms) and what it announced. */
  private readonly services: Record<ServiceKind, Map<string, { at: number; details: InstanceDetails | undefined }>> = { gateway: new Map(), worker: new Map(), embedder: new Map() };
  private readonly health = new Map<string, Omit<TargetHealth, 'inFlight'>>();
  /** Per target: attempt id → expiry (epoch ms). */
  private readonly inFlight = new Map<string, Map<string, number>>();
  /** Per target: the probe claim holding it and when the claim expires. */
  private readonly probes = new Map<string, { claimId: string; expiresAt: number }>();
  private readonly roundRobin = new Map<string, number>();

  private readonly circuit: ClusterStatePolicy['circuit'];
  private readonly ewmaAlpha: number;

  /** Reads are map lookups: gateways need not cache them (an opening circuit applies to the next request). */
  readonly healthCacheMs = 0;

  constructor(policy: ClusterStatePolicy) {
    this.circuit = policy.circuit;
    this.ewmaAlpha = policy.ewmaAlpha;
  }

  private entry(provider: string): RawStats {
    let stats = this.stats.get(provider);
    if (!stats) {
      stats = { total: 0, success: 0, failed: 0, latencyEwma: null, consecutiveFailures: 0, lastSuccess: null, lastFailure: null };
      this.stats.set(provider, stats);
    }
    return stats;
  }

  private healthOf(target: RouteTarget): Omit<TargetHealth, 'inFlight'> {
    return this.health.get(targetKey(target)) ?? UNKNOWN_TARGET_HEALTH;
  }

  async recordSuccess(target: RouteTarget, timing: AttemptTiming, slot?: string, at = Date.now()): Promise<void> {
    if (slot) await this.releaseSlot(target, slot);
    const health = this.healthOf(target);
    this.health.set(targetKey(target), {
      circuit: nextCircuit(health.circuit, 'success', this.circuit, at, timing.startedAt),
      successes: health.successes + 1,
      failures: health.failures,
      latencyEwmaMs: ewma(health.latencyEwmaMs, timing.latencyMs, this.ewmaAlpha),
      ttftEwmaMs: timing.ttftMs === undefined ? health.ttftEwmaMs : ewma(health.ttftEwmaMs, timing.ttftMs, this.ewmaAlpha),
    });
    const stats = this.entry(target.provider);
    stats.latencyEwma = ewma(stats.latencyEwma, timing.latencyMs, this.ewmaAlpha);
    stats.total++;
    stats.success++;
    stats.consecutiveFailures = 0;
    stats.lastSuccess = at;
  }

  async recordFailure(target: RouteTarget, slot?: string, at = Date.now()): Promise<void> {
    if (slot) await this.releaseSlot(target, slot);
    const health = this.healthOf(target);
    this.health.set(targetKey(target), { ...health, circuit: nextCircuit(health.circuit, 'failure', this.circuit, at), failures: health.failures + 1 });
    const stats = this.entry(target.provider);
    stats.total++;
    stats.failed++;
    stats.consecutiveFailures++;
    stats.lastFailure = at;
  }

  async acquireSlot(target: RouteTarget, attemptId: string, expiresAt: number, maxConcurrency?: number): Promise<boolean> {
    const key = targetKey(target);
    const slots = this.inFlight.get(key) ?? new Map<string, number>();
    this.inFlight.set(key, slots);
    const now = Date.now();
    for (const [id, expiry] of slots) if (expiry <= now) slots.delete(id);
    if (maxConcurrency !== undefined && slots.size >= maxConcurrency) return false;
    slots.set(attemptId, expiresAt);
    return true;
  }

  async releaseSlot(target: RouteTarget, attemptId: string): Promise<void> {
    this.inFlight.get(targetKey(target))?.delete(attemptId);
  }

  async setDiscoveredModels(provider: string, models: string[]): Promise<void> {
    this.models.set(provider, [...models]);
  }

  async heartbeat(service: ServiceKind, id: string, at = Date.now(), details?: InstanceDetails): Promise<void> {
    const known = this.services[service].get(id);
    this.services[service].set(id, { at, details: details ? structuredClone(details) : known?.details });
  }

  async deregister(service: ServiceKind, id: string): Promise<void> {
    this.services[service].delete(id);
  }

  async providerStats(providers: string[]): Promise<ProviderStatsSnapshot[]> {
    return providers.map((provider) => {
      const stats = this.entry(provider);
      return toStatsSnapshot(provider, { ...stats, latencyEwma: stats.latencyEwma ?? 0 });
    });
  }

  async targetHealth(targetKeys: string[], now = Date.now()): Promise<Map<string, TargetHealth>> {
    const result = new Map<string, TargetHealth>();
    for (const key of targetKeys) {
      const health = this.health.get(key);
      const inFlight = [...(this.inFlight.get(key)?.values() ?? [])].filter((expiry) => expiry > now).length;
      if (health || inFlight > 0) result.set(key, { ...(health ?? UNKNOWN_TARGET_HEALTH), inFlight });
    }
    return result;
  }

  async claimProbe(key: string, claimId: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const held = this.probes.get(key);
    if (held && held.expiresAt > now) return false;
    this.probes.set(key, { claimId, expiresAt: now + ttlMs });
    return true;
  }

  async releaseProbe(key: string, claimId: string): Promise<void> {
    if (this.probes.get(key)?.claimId === claimId) this.probes.delete(key);
  }

  async discoveredModels(): Promise<Map<string, string[]>> {
    return new Map(this.models);
  }

  async nextRoundRobin(route: string): Promise<number> {
    const position = this.roundRobin.get(route) ?? 0;
    this.roundRobin.set(route, position + 1);
    return position;
  }

  async liveCount(service: ServiceKind, now = Date.now()): Promise<number> {
    let count = 0;
    for (const { at } of this.services[service].values()) if (now - at < WORKER_HEARTBEAT_TTL_MS) count++;
    return count;
  }

  async liveInstances(service: ServiceKind, now = Date.now()): Promise<LiveInstance[]> {
    return [...this.services[service]]
      .filter(([, entry]) => now - entry.at < WORKER_HEARTBEAT_TTL_MS)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, entry]) => toLiveInstance(service, id, entry.at, entry.details));
  }
}
