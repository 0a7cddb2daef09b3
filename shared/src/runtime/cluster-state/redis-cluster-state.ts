import type { Redis } from 'ioredis';
import {
  redisNames,
  targetKey,
  toStatsSnapshot,
  WORKER_HEARTBEAT_TTL_MS,
  type AttemptTiming,
  type ClusterState,
  type ClusterStatePolicy,
  type InstanceDetails,
  type LiveInstance,
  type ProviderStatsSnapshot,
  type RedisNames,
  type RouteTarget,
  type ServiceKind,
  type TargetHealth,
} from '../../index.js';
import { parseInstanceDetails, toLiveInstance } from './live-instance.js';
import { controlChannel } from '../control-plane/redis-control-changes.js';
import { ACQUIRE_SLOT, HEARTBEAT, RECORD_FAILURE, RECORD_SUCCESS, RELEASE_PROBE } from './redis-scripts.js';

type ScriptedRedis = Redis & {
  ailbRecordSuccess(statsKey: string, healthKey: string, inFlightKey: string, latencyMs: string, alpha: string, at: string, ttftMs: string, errorRateAlpha: string, startedAt: string, slot: string): Promise<unknown>;
  ailbRecordFailure(statsKey: string, healthKey: string, inFlightKey: string, at: string, threshold: string, errorRateAlpha: string, errorRateThreshold: string, minSamples: string, slot: string, channel: string): Promise<unknown>;
  ailbAcquireSlot(inFlightKey: string, now: string, expiresAt: string, member: string, max: string): Promise<number>;
  ailbReleaseProbe(probeKey: string, claimId: string): Promise<number>;
  ailbHeartbeat(servicesKey: string, detailsKey: string, at: string, id: string, details: string, cutoff: string): Promise<unknown>;
};

type Hash = Record<string, string | undefined>;

const numberOr = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const numberOrNull = (value: string | undefined) => (value === undefined ? null : Number(value));

/** The value of one pipelined command; a failed command fails the whole read. */
function pipelined<T>(results: Array<[Error | null, unknown]>, index: number, fallback: T): T {
  const [error, value] = results[index] ?? [null, fallback];
  if (error) throw error;
  return (value ?? fallback) as T;
}

/**
 * The cluster state in Redis, shared by every gateway and worker of a deployment. Writes that must not
 * interleave are Lua scripts (redis-scripts.ts); reads are pipelined. Gateways use it as a
 * `GatewayState` and workers as a `WorkerState`.
 */
export class RedisClusterState implements ClusterState {
  private readonly names: RedisNames;
  /** Where a circuit that opens is announced (the control-plane channel, topic `circuits`). */
  private readonly channel: string;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly policy: ClusterStatePolicy,
  ) {
    this.names = redisNames(prefix);
    this.channel = controlChannel(prefix);
    redis.defineCommand('ailbRecordSuccess', { numberOfKeys: 3, lua: RECORD_SUCCESS });
    redis.defineCommand('ailbRecordFailure', { numberOfKeys: 3, lua: RECORD_FAILURE });
    redis.defineCommand('ailbAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT });
    redis.defineCommand('ailbReleaseProbe', { numberOfKeys: 1, lua: RELEASE_PROBE });
    redis.defineCommand('ailbHeartbeat', { numberOfKeys: 2, lua: HEARTBEAT });
    this.redis = redis as ScriptedRedis;
  }

  async recordSuccess(target: RouteTarget, timing: AttemptTiming, slot = '', at = Date.now()): Promise<void> {
    const key = targetKey(target);
    await this.redis.ailbRecordSuccess(
      this.names.providerStats(target.provider),
      this.names.targetHealth(key),
      this.names.inFlight(key),
      timing.latencyMs.toFixed(3),
      String(this.policy.ewmaAlpha),
      String(at),
      timing.ttftMs === undefined ? '' : timing.ttftMs.toFixed(3),
      String(this.policy.circuit.errorRateAlpha),
      String(timing.startedAt),
      slot,
    );
  }

  async recordFailure(target: RouteTarget, slot = '', at = Date.now()): Promise<void> {
    const { failureThreshold, errorRateAlpha, errorRateThreshold, minSamples } = this.policy.circuit;
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
      this.channel,
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

  async heartbeat(service: ServiceKind, id: string, at = Date.now(), details?: InstanceDetails): Promise<void> {
    // One script per beat, as the MULTI it replaced: instances that died without deregistering age out
    // here (after a minute), with their details, so neither the set nor the hash grows forever.
    await this.redis.ailbHeartbeat(this.names.services(service), this.names.instanceDetails(service), String(at), id, details ? JSON.stringify(details) : '', String(at - 60_000));
  }

  async deregister(service: ServiceKind, id: string): Promise<void> {
    await this.redis.multi().zrem(this.names.services(service), id).hdel(this.names.instanceDetails(service), id).exec();
  }

  async liveInstances(service: ServiceKind, now = Date.now()): Promise<LiveInstance[]> {
    // `(` makes the bound exclusive: live means `now - at < TTL`, as in the in-memory store.
    const live = `(${now - WORKER_HEARTBEAT_TTL_MS}`;
    const results = (await this.redis.pipeline().zrangebyscore(this.names.services(service), live, '+inf', 'WITHSCORES').hgetall(this.names.instanceDetails(service)).exec()) ?? [];
    const scored = pipelined<string[]>(results, 0, []);
    const details = pipelined<Hash>(results, 1, {});
    const instances: LiveInstance[] = [];
    for (let index = 0; index + 1 < scored.length; index += 2) {
      const id = scored[index]!;
      instances.push(toLiveInstance(service, id, Number(scored[index + 1]), parseInstanceDetails(details[id])));
    }
    return instances.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async liveCount(service: ServiceKind, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.names.services(service), now - WORKER_HEARTBEAT_TTL_MS, '+inf');
  }

  async claimProbe(targetKeyValue: string, claimId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.names.probe(targetKeyValue), claimId, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async releaseProbe(targetKeyValue: string, claimId: string): Promise<void> {
    await this.redis.ailbReleaseProbe(this.names.probe(targetKeyValue), claimId);
  }

  async nextRoundRobin(route: string): Promise<number> {
    // INCR starts at 1; positions start at 0.
    return (await this.redis.incr(this.names.roundRobin(route))) - 1;
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
}
