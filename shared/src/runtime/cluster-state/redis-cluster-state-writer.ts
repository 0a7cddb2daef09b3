import { redisNames, targetKey, type AttemptTiming, type CircuitPolicy, type ClusterStateWriter, type RedisNames, type RouteTarget } from '../../index.js';
import type { Redis } from 'ioredis';

// One script per outcome so concurrent workers never interleave a read-modify-write of an EWMA or a
// circuit. KEYS[1] = provider stats (the seed's fields), KEYS[2] = target health (rules of
// nextCircuit() for the circuit), KEYS[3] = the target's in-flight set, whose entry for the attempt
// goes in the same write. An empty TTFT argument means "not a stream"; an empty slot, none held.
const RECORD_SUCCESS = `
if ARGV[7] ~= '' then redis.call('ZREM', KEYS[3], ARGV[7]) end
local alpha = tonumber(ARGV[2])
local function ewma(key, field, sample)
  local previous = redis.call('HGET', key, field)
  local value = sample
  if previous then value = alpha * sample + (1 - alpha) * tonumber(previous) end
  redis.call('HSET', key, field, tostring(value))
end
ewma(KEYS[1], 'latency_ewma', tonumber(ARGV[1]))
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'success', 1)
redis.call('HSET', KEYS[1], 'consecutive_failures', 0, 'last_success', ARGV[3])
ewma(KEYS[2], 'latency_ewma', tonumber(ARGV[1]))
if ARGV[4] ~= '' then ewma(KEYS[2], 'ttft_ewma', tonumber(ARGV[4])) end
redis.call('HINCRBY', KEYS[2], 'successes', 1)
if redis.call('HGET', KEYS[2], 'open') == '1' then
  -- Only an attempt admitted after the circuit opened (the probe) may close it.
  if tonumber(ARGV[6]) < tonumber(redis.call('HGET', KEYS[2], 'opened_at') or '0') then return end
  -- A probe that succeeds starts the target afresh.
  redis.call('HSET', KEYS[2], 'error_rate', 0, 'samples', 0)
else
  local rate = tonumber(redis.call('HGET', KEYS[2], 'error_rate') or '0')
  redis.call('HSET', KEYS[2], 'error_rate', tostring((1 - tonumber(ARGV[5])) * rate))
  redis.call('HINCRBY', KEYS[2], 'samples', 1)
end
redis.call('HSET', KEYS[2], 'open', 0, 'consecutive_failures', 0)
redis.call('HDEL', KEYS[2], 'opened_at')
`;
const RECORD_FAILURE = `
if ARGV[6] ~= '' then redis.call('ZREM', KEYS[3], ARGV[6]) end
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'failed', 1)
redis.call('HINCRBY', KEYS[1], 'consecutive_failures', 1)
redis.call('HSET', KEYS[1], 'last_failure', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'failures', 1)
local failures = redis.call('HINCRBY', KEYS[2], 'consecutive_failures', 1)
local alpha = tonumber(ARGV[3])
local rate = alpha + (1 - alpha) * tonumber(redis.call('HGET', KEYS[2], 'error_rate') or '0')
local samples = redis.call('HINCRBY', KEYS[2], 'samples', 1)
redis.call('HSET', KEYS[2], 'error_rate', tostring(rate))
local tooHighARate = ARGV[4] ~= '' and samples >= tonumber(ARGV[5]) and rate >= tonumber(ARGV[4])
if redis.call('HGET', KEYS[2], 'open') == '1' or failures >= tonumber(ARGV[2]) or tooHighARate then
  redis.call('HSET', KEYS[2], 'open', 1, 'opened_at', ARGV[1])
end
`;
// KEYS[1] = the target's in-flight set. Expired entries (attempts of a worker that died) go first.
const ACQUIRE_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if ARGV[4] ~= '' and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.max(1000, tonumber(ARGV[2]) - tonumber(ARGV[1])))
return 1
`;

type ScriptedRedis = Redis & {
  ailbRecordSuccess(statsKey: string, healthKey: string, inFlightKey: string, latencyMs: string, alpha: string, at: string, ttftMs: string, errorRateAlpha: string, startedAt: string, slot: string): Promise<unknown>;
  ailbRecordFailure(statsKey: string, healthKey: string, inFlightKey: string, at: string, threshold: string, errorRateAlpha: string, errorRateThreshold: string, minSamples: string, slot: string): Promise<unknown>;
  ailbAcquireSlot(inFlightKey: string, now: string, expiresAt: string, member: string, max: string): Promise<number>;
};

/** Workers' writes to the state every gateway reads, in Redis. */
export class RedisClusterStateWriter implements ClusterStateWriter {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly circuit: CircuitPolicy,
    private readonly ewmaAlpha: number,
  ) {
    this.names = redisNames(prefix);
    redis.defineCommand('ailbRecordSuccess', { numberOfKeys: 3, lua: RECORD_SUCCESS });
    redis.defineCommand('ailbRecordFailure', { numberOfKeys: 3, lua: RECORD_FAILURE });
    redis.defineCommand('ailbAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT });
    this.redis = redis as ScriptedRedis;
  }

  async recordSuccess(target: RouteTarget, timing: AttemptTiming, slot = '', at = Date.now()): Promise<void> {
    const key = targetKey(target);
    await this.redis.ailbRecordSuccess(
      this.names.providerStats(target.provider),
      this.names.targetHealth(key),
      this.names.inFlight(key),
      timing.latencyMs.toFixed(3),
      String(this.ewmaAlpha),
      String(at),
      timing.ttftMs === undefined ? '' : timing.ttftMs.toFixed(3),
      String(this.circuit.errorRateAlpha),
      String(timing.startedAt),
      slot,
    );
  }

  async recordFailure(target: RouteTarget, slot = '', at = Date.now()): Promise<void> {
    const { failureThreshold, errorRateAlpha, errorRateThreshold, minSamples } = this.circuit;
    const key = targetKey(target);
    await this.redis.ailbRecordFailure(
      this.names.providerStats(target.provider),
      this.names.targetHealth(key),
      this.names.inFlight(key),
      String(at),
      String(failureThreshold),
      String(errorRateAlpha),
      errorRateThreshold === undefined ? '' : String(errorRateThreshold),
      String(minSamples),
      slot,
    );
  }

  async acquireSlot(target: RouteTarget, attemptId: string, expiresAt: number, maxConcurrency?: number): Promise<boolean> {
    const key = this.names.inFlight(targetKey(target));
    return (await this.redis.ailbAcquireSlot(key, String(Date.now()), String(expiresAt), attemptId, maxConcurrency === undefined ? '' : String(maxConcurrency))) === 1;
  }

  async releaseSlot(target: RouteTarget, attemptId: string): Promise<void> {
    await this.redis.zrem(this.names.inFlight(targetKey(target)), attemptId);
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
