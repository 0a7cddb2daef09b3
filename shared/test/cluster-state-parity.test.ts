import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CIRCUIT, type ClusterState, type ClusterStatePolicy, type RouteTarget, type TargetHealth } from '../src/index.js';
import { InMemoryClusterState, RedisClusterState } from '../src/runtime/index.js';

/*
 * The Redis store (Lua scripts) and the in-memory store of the embedded default must agree on every
 * rule: the same history gives the same health and stats, whether it is replayed one write at a time
 * or with writes racing each other.
 */
const policy: ClusterStatePolicy = {
  circuit: { ...DEFAULT_CIRCUIT, failureThreshold: 3, cooldownMs: 1000, errorRateThreshold: 0.5, minSamples: 6, errorRateAlpha: 0.25 },
  ewmaAlpha: 0.3,
};
const steady: RouteTarget = { provider: 'p1', model: 'steady' };
const flaky: RouteTarget = { provider: 'p1', model: 'flaky' };
const broken: RouteTarget = { provider: 'p2', model: 'broken' };

async function replay(state: ClusterState): Promise<void> {
  let at = 1_000_000;
  const success = (target: RouteTarget, latencyMs: number, ttftMs?: number, startedAt = at) => state.recordSuccess(target, { latencyMs, ttftMs, startedAt }, undefined, (at += 10));
  const failure = (target: RouteTarget) => state.recordFailure(target, undefined, (at += 10));
  await success(steady, 100, 40);
  await success(steady, 300, 20);
  await success(steady, 200);
  for (const outcome of 'x.x.x.xx') await (outcome === 'x' ? failure(flaky) : success(flaky, 50));
  await failure(broken);
  await failure(broken);
  const beforeOpening = at;
  await failure(broken);
  await success(broken, 10, undefined, beforeOpening); // already running when it opened: stays open
  await state.acquireSlot(steady, 'a', Date.now() + 60_000);
  await state.acquireSlot(steady, 'b', Date.now() + 60_000);
  await state.acquireSlot(steady, 'c', Date.now() + 60_000);
  await state.acquireSlot(steady, 'expired', Date.now() - 1);
  await state.releaseSlot(steady, 'a');
  // Recording an outcome releases the attempt's slot in the same write.
  await state.recordSuccess(steady, { latencyMs: 150, startedAt: at }, 'c', (at += 10));
}

/** Writes racing each other: their end result is fixed whatever the interleaving. */
async function race(state: ClusterState): Promise<{ slots: number; probes: number }> {
  const contested: RouteTarget = { provider: 'p3', model: 'contested' };
  const capped: RouteTarget = { provider: 'p3', model: 'capped' };
  const expiresAt = Date.now() + 60_000;
  const [slots, probes] = await Promise.all([
    Promise.all(Array.from({ length: 40 }, (_, index) => state.acquireSlot(capped, `attempt-${index}`, expiresAt, 7))),
    Promise.all(Array.from({ length: 20 }, (_, index) => state.claimProbe('p3/contested', `request-${index}`, 60_000))),
    Promise.all(Array.from({ length: 25 }, () => state.recordFailure(contested, undefined, 2_000_000))),
    Promise.all(Array.from({ length: 30 }, () => state.recordSuccess(steady, { latencyMs: 100, startedAt: 2_000_000 }, undefined, 2_000_000))),
    Promise.all(Array.from({ length: 10 }, () => state.nextRoundRobin('raced'))),
  ]);
  return { slots: slots.filter(Boolean).length, probes: probes.filter(Boolean).length };
}

function comparable(health: TargetHealth | undefined) {
  if (!health) return undefined;
  const { circuit, latencyEwmaMs, ttftEwmaMs, ...counts } = health;
  return { ...counts, ...circuit, errorRate: circuit.errorRate.toFixed(9), latencyEwmaMs: latencyEwmaMs?.toFixed(6), ttftEwmaMs: ttftEwmaMs?.toFixed(6) };
}

describe('cluster state: Redis and in-memory stores agree', () => {
  const prefix = randomPrefix();
  let redis: Redis;
  let fromRedis: RedisClusterState;
  let fromMemory: InMemoryClusterState;
  let raced: Array<{ slots: number; probes: number }>;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    fromRedis = new RedisClusterState(redis, prefix, policy);
    fromMemory = new InMemoryClusterState(policy);
    await replay(fromRedis);
    await replay(fromMemory);
    raced = [await race(fromRedis), await race(fromMemory)];
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it('gives the same target health after the same history', async () => {
    const keys = ['p1/steady', 'p1/flaky', 'p2/broken', 'p2/never-used', 'p3/contested', 'p3/capped'];
    const [redisHealth, memoryHealth] = await Promise.all([fromRedis.targetHealth(keys), fromMemory.targetHealth(keys)]);
    expect([...redisHealth.keys()].sort()).toEqual([...memoryHealth.keys()].sort());
    for (const key of keys) expect({ key, health: comparable(redisHealth.get(key)) }).toEqual({ key, health: comparable(memoryHealth.get(key)) });
    // The scenario covers what it means to: a rate-opened circuit, a threshold-opened one kept open.
    expect(memoryHealth.get('p1/flaky')?.circuit).toMatchObject({ open: true, consecutiveFailures: 2 });
    expect(memoryHealth.get('p2/broken')?.circuit.open).toBe(true);
    expect(memoryHealth.get('p1/steady')).toMatchObject({ inFlight: 1, successes: 34 });
    expect(memoryHealth.get('p3/contested')).toMatchObject({ failures: 25, circuit: { open: true, consecutiveFailures: 25 } });
  });

  it('gives the same provider stats', async () => {
    const [redisStats, memoryStats] = await Promise.all([fromRedis.providerStats(['p1', 'p2', 'p3']), fromMemory.providerStats(['p1', 'p2', 'p3'])]);
    expect(redisStats).toEqual(memoryStats);
  });

  it('admits exactly the limit of racing slot requests and exactly one of racing probe claims', () => {
    expect(raced).toEqual([
      { slots: 7, probes: 1 },
      { slots: 7, probes: 1 },
    ]);
  });

  it('counts round-robin positions without gaps or repeats under racing requests', async () => {
    expect(await fromRedis.nextRoundRobin('raced')).toBe(10);
    expect(await fromMemory.nextRoundRobin('raced')).toBe(10);
  });

  it('releases a probe claim only for the request that holds it', async () => {
    for (const state of [fromRedis, fromMemory]) {
      expect(await state.claimProbe('p9/target', 'holder', 60_000)).toBe(true);
      await state.releaseProbe('p9/target', 'someone-else');
      expect(await state.claimProbe('p9/target', 'intruder', 60_000)).toBe(false);
      await state.releaseProbe('p9/target', 'holder');
      expect(await state.claimProbe('p9/target', 'next', 60_000)).toBe(true);
    }
  });

  it('counts live workers the same way', async () => {
    const now = Date.now();
    for (const state of [fromRedis, fromMemory]) {
      await state.heartbeat('worker', 'w1', now);
      await state.heartbeat('worker', 'w2', now - 20_000);
      await state.heartbeat('worker', 'w3', now);
      await state.deregister('worker', 'w3');
      await state.heartbeat('embedder', 'e1', now);
    }
    expect(await fromRedis.liveCount('worker', now)).toBe(1);
    expect(await fromMemory.liveCount('worker', now)).toBe(1);
    expect(await fromRedis.liveCount('embedder', now)).toBe(1);
    expect(await fromMemory.liveCount('embedder', now)).toBe(1);
  });

  it('announces on the control channel, once, the failure that opens a circuit (Redis)', async () => {
    const listener = new Redis(REDIS_URL);
    const messages: string[] = [];
    try {
      await listener.subscribe(`${prefix}:control`);
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      const announced: RouteTarget = { provider: 'p4', model: 'announced' };
      for (let failure = 1; failure <= 5; failure++) await fromRedis.recordFailure(announced, undefined, 3_000_000 + failure);
      // Published inside the script; delivered to the listener's connection within moments.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(messages).toEqual(['circuits']);
    } finally {
      await listener.quit();
    }
  });
});
