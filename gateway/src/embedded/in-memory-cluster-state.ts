import {
  CLOSED_CIRCUIT,
  LATENCY_EWMA_ALPHA,
  nextCircuit,
  targetKey,
  toStatsSnapshot,
  WORKER_HEARTBEAT_TTL_MS,
  type CircuitPolicy,
  type CircuitRecord,
  type ClusterStateReader,
  type ClusterStateWriter,
  type ProviderStatsSnapshot,
  type RouteTarget,
} from '@ailb/shared';

interface RawStats {
  total: number;
  success: number;
  failed: number;
  latencyEwma: number;
  consecutiveFailures: number;
  lastSuccess: number | null;
  lastFailure: number | null;
}

/** Cluster state for the embedded default (one process): the same semantics as the Redis store. */
export class InMemoryClusterState implements ClusterStateReader, ClusterStateWriter {
  private readonly stats = new Map<string, RawStats>();
  private readonly models = new Map<string, string[]>();
  private readonly workers = new Map<string, number>();
  private readonly circuitRecords = new Map<string, CircuitRecord>();
  private readonly probes = new Map<string, number>();

  constructor(private readonly circuit: CircuitPolicy) {}

  private entry(provider: string): RawStats {
    let stats = this.stats.get(provider);
    if (!stats) {
      stats = { total: 0, success: 0, failed: 0, latencyEwma: 0, consecutiveFailures: 0, lastSuccess: null, lastFailure: null };
      this.stats.set(provider, stats);
    }
    return stats;
  }

  async recordSuccess(target: RouteTarget, latencyMs: number, at = Date.now()): Promise<void> {
    this.circuitRecords.set(targetKey(target), nextCircuit(this.circuitOf(target), 'success', this.circuit, at));
    const stats = this.entry(target.provider);
    stats.latencyEwma = stats.success === 0 && stats.lastSuccess === null ? latencyMs : LATENCY_EWMA_ALPHA * latencyMs + (1 - LATENCY_EWMA_ALPHA) * stats.latencyEwma;
    stats.total++;
    stats.success++;
    stats.consecutiveFailures = 0;
    stats.lastSuccess = at;
  }

  async recordFailure(target: RouteTarget, at = Date.now()): Promise<void> {
    this.circuitRecords.set(targetKey(target), nextCircuit(this.circuitOf(target), 'failure', this.circuit, at));
    const stats = this.entry(target.provider);
    stats.total++;
    stats.failed++;
    stats.consecutiveFailures++;
    stats.lastFailure = at;
  }

  async setDiscoveredModels(provider: string, models: string[]): Promise<void> {
    this.models.set(provider, [...models]);
  }

  async heartbeat(workerId: string, at = Date.now()): Promise<void> {
    this.workers.set(workerId, at);
  }

  async removeWorker(workerId: string): Promise<void> {
    this.workers.delete(workerId);
  }

  async providerStats(providers: string[]): Promise<ProviderStatsSnapshot[]> {
    return providers.map((provider) => toStatsSnapshot(provider, this.stats.get(provider) ?? this.entry(provider)));
  }

  private circuitOf(target: RouteTarget): CircuitRecord {
    return this.circuitRecords.get(targetKey(target)) ?? CLOSED_CIRCUIT;
  }

  async circuits(targetKeys: string[]): Promise<Map<string, CircuitRecord>> {
    const result = new Map<string, CircuitRecord>();
    for (const key of targetKeys) {
      const record = this.circuitRecords.get(key);
      if (record) result.set(key, record);
    }
    return result;
  }

  async claimProbe(key: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    if ((this.probes.get(key) ?? 0) > now) return false;
    this.probes.set(key, now + ttlMs);
    return true;
  }

  async discoveredModels(): Promise<Map<string, string[]>> {
    return new Map(this.models);
  }

  async liveWorkerCount(now = Date.now()): Promise<number> {
    let count = 0;
    for (const at of this.workers.values()) if (now - at < WORKER_HEARTBEAT_TTL_MS) count++;
    return count;
  }
}
