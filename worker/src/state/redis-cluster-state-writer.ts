import { LATENCY_EWMA_ALPHA, redisNames, targetKey, type CircuitPolicy, type ClusterStateWriter, type RedisNames, type RouteTarget } from '@ailb/shared';
import type { Redis } from 'ioredis';

// One script per outcome so concurrent workers never interleave a read-modify-write of the EWMA or
// the circuit. KEYS[1] = provider stats, KEYS[2] = the target's circuit (rules of nextCircuit()).
const RECORD_SUCCESS = `
local previous = redis.call('HGET', KEYS[1], 'latency_ewma')
local latency = tonumber(ARGV[1])
if previous then latency = tonumber(ARGV[2]) * latency + (1 - tonumber(ARGV[2])) * tonumber(previous) end
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'success', 1)
redis.call('HSET', KEYS[1], 'latency_ewma', tostring(latency), 'consecutive_failures', 0, 'last_success', ARGV[3])
redis.call('HSET', KEYS[2], 'open', 0, 'consecutive_failures', 0)
redis.call('HDEL', KEYS[2], 'opened_at')
`;
const RECORD_FAILURE = `
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'failed', 1)
redis.call('HINCRBY', KEYS[1], 'consecutive_failures', 1)
redis.call('HSET', KEYS[1], 'last_failure', ARGV[1])
local failures = redis.call('HINCRBY', KEYS[2], 'consecutive_failures', 1)
if redis.call('HGET', KEYS[2], 'open') == '1' or failures >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], 'open', 1, 'opened_at', ARGV[1])
end
`;

type ScriptedRedis = Redis & {
  ailbRecordSuccess(statsKey: string, circuitKey: string, latencyMs: string, alpha: string, at: string): Promise<unknown>;
  ailbRecordFailure(statsKey: string, circuitKey: string, at: string, threshold: string): Promise<unknown>;
};

/** Workers' writes to the state every gateway reads, in Redis. */
export class RedisClusterStateWriter implements ClusterStateWriter {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly circuit: CircuitPolicy,
  ) {
    this.names = redisNames(prefix);
    redis.defineCommand('ailbRecordSuccess', { numberOfKeys: 2, lua: RECORD_SUCCESS });
    redis.defineCommand('ailbRecordFailure', { numberOfKeys: 2, lua: RECORD_FAILURE });
    this.redis = redis as ScriptedRedis;
  }

  async recordSuccess(target: RouteTarget, latencyMs: number, at = Date.now()): Promise<void> {
    await this.redis.ailbRecordSuccess(
      this.names.providerStats(target.provider),
      this.names.circuit(targetKey(target)),
      latencyMs.toFixed(3),
      String(LATENCY_EWMA_ALPHA),
      String(at),
    );
  }

  async recordFailure(target: RouteTarget, at = Date.now()): Promise<void> {
    await this.redis.ailbRecordFailure(this.names.providerStats(target.provider), this.names.circuit(targetKey(target)), String(at), String(this.circuit.failureThreshold));
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
