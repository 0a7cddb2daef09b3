import { redisNames, toStatsSnapshot, WORKER_HEARTBEAT_TTL_MS, type CircuitRecord, type ClusterStateReader, type ProviderStatsSnapshot, type RedisNames } from '@ailb/shared';
import type { Redis } from 'ioredis';

const numberOr = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

/** The gateway's reads of the state workers write in Redis. */
export class RedisClusterStateReader implements ClusterStateReader {
  private readonly names: RedisNames;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.names = redisNames(prefix);
  }

  async providerStats(providers: string[]): Promise<ProviderStatsSnapshot[]> {
    const pipeline = this.redis.pipeline();
    for (const provider of providers) pipeline.hgetall(this.names.providerStats(provider));
    const results = (await pipeline.exec()) ?? [];
    return providers.map((provider, index) => {
      const [error, value] = results[index] ?? [null, {}];
      if (error) throw error;
      const hash = (value ?? {}) as Record<string, string | undefined>;
      return toStatsSnapshot(provider, {
        total: numberOr(hash.total, 0),
        success: numberOr(hash.success, 0),
        failed: numberOr(hash.failed, 0),
        latencyEwma: numberOr(hash.latency_ewma, 0),
        consecutiveFailures: numberOr(hash.consecutive_failures, 0),
        lastSuccess: hash.last_success === undefined ? null : Number(hash.last_success),
        lastFailure: hash.last_failure === undefined ? null : Number(hash.last_failure),
      });
    });
  }

  async circuits(targetKeys: string[]): Promise<Map<string, CircuitRecord>> {
    const pipeline = this.redis.pipeline();
    for (const key of targetKeys) pipeline.hgetall(this.names.circuit(key));
    const results = (await pipeline.exec()) ?? [];
    const circuits = new Map<string, CircuitRecord>();
    targetKeys.forEach((key, index) => {
      const [error, value] = results[index] ?? [null, {}];
      if (error) throw error;
      const hash = (value ?? {}) as Record<string, string | undefined>;
      if (hash.open === undefined) return;
      circuits.set(key, {
        open: hash.open === '1',
        consecutiveFailures: numberOr(hash.consecutive_failures, 0),
        openedAt: hash.opened_at === undefined ? null : Number(hash.opened_at),
      });
    });
    return circuits;
  }

  async claimProbe(targetKey: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.names.probe(targetKey), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async discoveredModels(): Promise<Map<string, string[]>> {
    const hash = await this.redis.hgetall(this.names.discoveredModels);
    const result = new Map<string, string[]>();
    for (const [provider, json] of Object.entries(hash)) {
      try {
        const parsed = JSON.parse(json) as { models?: unknown };
        if (Array.isArray(parsed.models)) result.set(provider, parsed.models.filter((model): model is string => typeof model === 'string'));
      } catch {
        // A corrupt entry is treated as "not discovered yet"; the next discovery overwrites it.
      }
    }
    return result;
  }

  async liveWorkerCount(now = Date.now()): Promise<number> {
    return this.redis.zcount(this.names.workers, now - WORKER_HEARTBEAT_TTL_MS, '+inf');
  }
}
