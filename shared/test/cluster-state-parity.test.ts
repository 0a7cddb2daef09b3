import { DEFAULT_CIRCUIT, type CircuitPolicy, type ClusterStateReader, type ClusterStateWriter, type RouteTarget } from '../src/index.js';
import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryClusterState, RedisClusterStateReader, RedisClusterStateWriter } from '../src/runtime/index.js';

/*
 * The Redis store (Lua scripts in the worker, reads in the gateway) and the in-memory store of the
 * embedded default must agree on every rule: the same history gives the same health and stats.
 */
const policy: CircuitPolicy = { ...DEFAULT_CIRCUIT, failureThreshold: 3, cooldownMs: 1000, errorRateThreshold: 0.5, minSamples: 6, errorRateAlpha: 0.25 };
const alpha = 0.3;
const steady: RouteTarget = { provider: 'p1', model: 'steady' };
const flaky: RouteTarget = { provider: 'p1', model: 'flaky' };
const broken: RouteTarget = { provider: 'p2', model: 'broken' };

async function replay(writer: ClusterStateWriter): Promise<void> {
  let at = 1_000_000;
  const success = (target: RouteTarget, latencyMs: number, ttftMs?: number, startedAt = at) => writer.recordSuccess(target, { latencyMs, ttftMs, startedAt }, undefined, (at += 10));
  const failure = (target: RouteTarget) => writer.recordFailure(target, undefined, (at += 10));
  await success(steady, 100, 40);
  await success(steady, 300, 20);
  await success(steady, 200);
  for (const outcome of 'x.x.x.xx') await (outcome === 'x' ? failure(flaky) : success(flaky, 50));
  await failure(broken);
  await failure(broken);
  const beforeOpening = at;
  await failure(broken);
  await success(broken, 10, undefined, beforeOpening); // already running when it opened: stays open
  await writer.acquireSlot(steady, 'a', Date.now() + 60_000);
  await writer.acquireSlot(steady, 'b', Date.now() + 60_000);
  await writer.acquireSlot(steady, 'c', Date.now() + 60_000);
  await writer.acquireSlot(steady, 'expired', Date.now() - 1);
  await writer.releaseSlot(steady, 'a');
  // Recording an outcome releases the attempt's slot in the same write.
  await writer.recordSuccess(steady, { latencyMs: 150, startedAt: at }, 'c', (at += 10));
}

describe('cluster state: Redis and in-memory stores agree', () => {
  const prefix = randomPrefix();
  let redis: Redis;
  let memory: InMemoryClusterState;
  let reader: ClusterStateReader;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    memory = new InMemoryClusterState(policy, alpha);
    reader = new RedisClusterStateReader(redis, prefix);
    await replay(new RedisClusterStateWriter(redis, prefix, policy, alpha));
    await replay(memory);
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it('gives the same target health', async () => {
    const keys = ['p1/steady', 'p1/flaky', 'p2/broken', 'p2/never-used'];
    const [fromRedis, fromMemory] = await Promise.all([reader.targetHealth(keys), memory.targetHealth(keys)]);
    expect([...fromRedis.keys()].sort()).toEqual([...fromMemory.keys()].sort());
    for (const [key, expected] of fromMemory) {
      const actual = fromRedis.get(key)!;
      expect({ key, open: actual.circuit.open, consecutive: actual.circuit.consecutiveFailures, successes: actual.successes, failures: actual.failures, inFlight: actual.inFlight, samples: actual.circuit.samples }).toEqual({
        key,
        open: expected.circuit.open,
        consecutive: expected.circuit.consecutiveFailures,
        successes: expected.successes,
        failures: expected.failures,
        inFlight: expected.inFlight,
        samples: expected.circuit.samples,
      });
      expect(actual.circuit.openedAt).toBe(expected.circuit.openedAt);
      expect(actual.circuit.errorRate).toBeCloseTo(expected.circuit.errorRate, 9);
      expect(actual.latencyEwmaMs ?? -1).toBeCloseTo(expected.latencyEwmaMs ?? -1, 6);
      expect(actual.ttftEwmaMs ?? -1).toBeCloseTo(expected.ttftEwmaMs ?? -1, 6);
    }
    // The scenario covers what it means to: a rate-opened circuit, a threshold-opened one kept open.
    expect(fromMemory.get('p1/flaky')?.circuit.open).toBe(true);
    expect(fromMemory.get('p1/flaky')?.circuit.consecutiveFailures).toBe(2);
    expect(fromMemory.get('p2/broken')?.circuit.open).toBe(true);
    expect(fromMemory.get('p1/steady')?.inFlight).toBe(1);
  });

  it('gives the same provider stats', async () => {
    const [fromRedis, fromMemory] = await Promise.all([reader.providerStats(['p1', 'p2']), memory.providerStats(['p1', 'p2'])]);
    expect(fromRedis).toEqual(fromMemory);
  });
});
