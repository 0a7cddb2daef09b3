import { redisNames, toStatsSnapshot, WORKER_HEARTBEAT_TTL_MS, type ClusterStateReader, type ProviderStatsSnapshot, type RedisNames, type TargetHealth } from '../../index.js';
import type { Redis } from 'ioredis';

const numberOr = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const numberOrNull = (value: string | undefined) => (value === undefined ? null : Number(value));

type Hash = Record<string, string | undefined>;

/** The value of one pipelined command; a failed command fails the whole read. */
function pipelined<T>(results: Array<[Error | null, unknown]>, index: number, fallback: T): T {
  const [error, value] = results[index] ?? [null, fallback];
  if (error) throw error;
  return (value ?? fallback) as T;
}

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
      const hash = pipelined<Hash>(results, index, {});
      return toStatsSnapshot(provider, {
        total: numberOr(hash.total, 0),
        success: numberOr(hash.success, 0),
        failed: numberOr(hash.failed, 0),
        latencyEwma: numberOr(hash.latency_ewma, 0),
        consecutiveFailures: numberOr(hash.consecutive_failures, 0),
        lastSuccess: numberOrNull(hash.last_success),
        lastFailure: numberOrNull(hash.last_failure),
      });
    });
  }

  async targetHealth(targetKeys: string[], now = Date.now()): Promise<Map<string, TargetHealth>> {
    const pipeline = this.redis.pipeline();
    for (const key of targetKeys) pipeline.hgetall(this.names.targetHealth(key)).zcount(this.names.inFlight(key), `(${now}`, '+inf');
    const results = (await pipeline.exec()) ?? [];
    const health = new Map<string, TargetHealth>();
    targetKeys.forEach((key, index) => {
      const hash = pipelined<Hash>(results, 2 * index, {});
      const inFlight = Number(pipelined(results, 2 * index + 1, 0));
      if (Object.keys(hash).length === 0 && inFlight === 0) return;
      health.set(key, {
        circuit: {
          open: hash.open === '1',
          consecutiveFailures: numberOr(hash.consecutive_failures, 0),
          openedAt: numberOrNull(hash.opened_at),
          errorRate: numberOr(hash.error_rate, 0),
          samples: numberOr(hash.samples, 0),
        },
        successes: numberOr(hash.successes, 0),
        failures: numberOr(hash.failures, 0),
        latencyEwmaMs: numberOrNull(hash.latency_ewma),
        ttftEwmaMs: numberOrNull(hash.ttft_ewma),
        inFlight,
      });
    });
    return health;
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

  async nextRoundRobin(route: string): Promise<number> {
    // INCR starts at 1; positions start at 0.
    return (await this.redis.incr(this.names.roundRobin(route))) - 1;
  }

  async liveWorkerCount(now = Date.now()): Promise<number> {
    return this.redis.zcount(this.names.workers, now - WORKER_HEARTBEAT_TTL_MS, '+inf');
  }
}
