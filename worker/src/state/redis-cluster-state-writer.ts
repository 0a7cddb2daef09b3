import { LATENCY_EWMA_ALPHA, redisNames, type ClusterStateWriter, type RedisNames } from '@ailb/shared';
import type { Redis } from 'ioredis';

// One script per outcome so concurrent workers never interleave a read-modify-write of the EWMA.
const RECORD_SUCCESS = `
local previous = redis.call('HGET', KEYS[1], 'latency_ewma')
local latency = tonumber(ARGV[1])
if previous then latency = tonumber(ARGV[2]) * latency + (1 - tonumber(ARGV[2])) * tonumber(previous) end
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'success', 1)
redis.call('HSET', KEYS[1], 'latency_ewma', tostring(latency), 'consecutive_failures', 0, 'last_success', ARGV[3])
`;
const RECORD_FAILURE = `
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'failed', 1)
redis.call('HINCRBY', KEYS[1], 'consecutive_failures', 1)
redis.call('HSET', KEYS[1], 'last_failure', ARGV[1])
`;

type ScriptedRedis = Redis & {
  ailbRecordSuccess(key: string, latencyMs: string, alpha: string, at: string): Promise<unknown>;
  ailbRecordFailure(key: string, at: string): Promise<unknown>;
};

/** Workers' writes to the state every gateway reads, in Redis. */
export class RedisClusterStateWriter implements ClusterStateWriter {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, prefix: string) {
    this.names = redisNames(prefix);
    redis.defineCommand('ailbRecordSuccess', { numberOfKeys: 1, lua: RECORD_SUCCESS });
    redis.defineCommand('ailbRecordFailure', { numberOfKeys: 1, lua: RECORD_FAILURE });
    this.redis = redis as ScriptedRedis;
  }

  async recordSuccess(provider: string, latencyMs: number, at = Date.now()): Promise<void> {
    await this.redis.ailbRecordSuccess(this.names.providerStats(provider), latencyMs.toFixed(3), String(LATENCY_EWMA_ALPHA), String(at));
  }

  async recordFailure(provider: string, at = Date.now()): Promise<void> {
    await this.redis.ailbRecordFailure(this.names.providerStats(provider), String(at));
  }

  async setDiscoveredModels(provider: string, models: string[]): Promise<void> {
    await this.redis.hset(this.names.discoveredModels, provider, JSON.stringify({ models, updatedAt: Date.now() }));
  }

  async heartbeat(workerId: string, at = Date.now()): Promise<void> {
    await this.redis
      .multi()
      .zadd(this.names.workers, at, workerId)
      // Workers that died without deregistering age out here, so the set cannot grow forever.
      .zremrangebyscore(this.names.workers, '-inf', at - 60_000)
      .exec();
  }

  async removeWorker(workerId: string): Promise<void> {
    await this.redis.zrem(this.names.workers, workerId);
  }
}
