import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceCanary,
  DEFAULT_CIRCUIT,
  promoteVersion,
  rollbackVersion,
  setVersionWeight,
  WORKER_HEARTBEAT_TTL_MS,
  type ClusterState,
  type DeploymentStore,
  type InstanceDetails,
} from '../src/index.js';
import { InMemoryClusterState, InMemoryDeploymentStore, RedisClusterState, RedisDeploymentStore } from '../src/runtime/index.js';

/*
 * The deployment state (blue/green, scaling) and the instance registry in Redis and in memory must
 * agree: the same history gives the same state, and racing writers (every gateway trying the same
 * promotion step) apply each change exactly once.
 */

const STEP = 1000;

/** A blue/green history: weights, a gradual promotion, its steps, a rollback. Returns the states seen. */
async function history(store: DeploymentStore): Promise<unknown[]> {
  const seen: unknown[] = [];
  const apply = async (change: Parameters<DeploymentStore['updateBlueGreen']>[0]) => {
    const update = await store.updateBlueGreen(change);
    seen.push({ written: update.written, after: update.after });
  };
  await apply((state) => setVersionWeight(state, 'v1', 100, 10).next);
  await apply((state) => setVersionWeight(state, 'v2', 0, 20).next);
  await apply((state) => promoteVersion(state, 'v2', { immediate: false, rate: 25, stepMs: STEP, now: 30 }));
  await apply((state) => advanceCanary(state, 30 + STEP));
  await apply((state) => advanceCanary(state, 30 + STEP)); // not due again: nothing written
  await apply((state) => rollbackVersion(state, '', 40 + STEP).next);
  await apply((state) => promoteVersion(state, 'v2', { immediate: true, rate: 0, stepMs: STEP, now: 50 + STEP }));
  await apply((state) => rollbackVersion(state, '', 60 + STEP).next);
  await store.setScaling({ settings: { minInstances: 1, maxInstances: 4, targetCpuPercent: 70, targetMemoryPercent: 0, targetConnections: 0, scaleUpThreshold: 0, scaleDownThreshold: 0, cooldownSeconds: 30, autoScalingEnabled: false }, desiredInstances: 2, updatedAt: 70 });
  seen.push(await store.blueGreen(), await store.scaling());
  return seen;
}

/** Every gateway tries the due step at once: exactly one writes it. */
async function race(store: DeploymentStore): Promise<{ written: number; weights: Record<string, number>; revision: number }> {
  await store.updateBlueGreen((state) => promoteVersion(setVersionWeight(state, 'a', 100, 0).next, 'b', { immediate: false, rate: 10, stepMs: STEP, now: 0 }));
  const updates = await Promise.all(Array.from({ length: 12 }, () => store.updateBlueGreen((state) => advanceCanary(state, STEP))));
  const after = await store.blueGreen();
  return { written: updates.filter((update) => update.written).length, weights: after.weights, revision: after.revision };
}

const details = (version: string, health: InstanceDetails['health'] = 'healthy'): InstanceDetails => ({ version, address: `${version}.local:8080`, health, startedAt: 5, connections: 3, metadata: { role: 'gateway' } });

/** An instance-registry history: announced, bare, expired, deregistered instances. */
async function registry(state: ClusterState, now: number): Promise<unknown> {
  await state.heartbeat('gateway', 'g1', now, details('v1'));
  await state.heartbeat('gateway', 'g2', now - WORKER_HEARTBEAT_TTL_MS, details('v2')); // exactly the TTL old: not live
  await state.heartbeat('worker', 'w1', now, { ...details('v1'), address: '' });
  await state.heartbeat('worker', 'w1', now); // a bare beat keeps what it announced
  await state.heartbeat('worker', 'w2', now - 1, details('v2', 'stopping'));
  await state.heartbeat('worker', 'w3', now); // never announced details
  await state.heartbeat('embedder', 'e1', now, details('v1'));
  await state.deregister('embedder', 'e1');
  return {
    gateways: await state.liveInstances('gateway', now),
    workers: await state.liveInstances('worker', now),
    embedders: await state.liveInstances('embedder', now),
    liveGateways: await state.liveCount('gateway', now - 1),
  };
}

describe('deployment state: Redis and in-memory stores agree', () => {
  const prefixes: string[] = [];
  let redis: Redis;
  const redisStore = () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    return { store: new RedisDeploymentStore(redis, prefix), cluster: new RedisClusterState(redis, prefix, { circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 }) };
  };

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await redis.quit();
    for (const prefix of prefixes) await deletePrefix(prefix);
  });

  it('replays a blue/green history to the same states', async () => {
    const fromRedis = await history(redisStore().store);
    const fromMemory = await history(new InMemoryDeploymentStore());
    expect(fromRedis).toEqual(fromMemory);
    const final = fromMemory.at(-2) as { revision: number; active: string; weights: Record<string, number> };
    expect(final).toMatchObject({ revision: 7, active: 'v1', weights: { v1: 100, v2: 0 } });
  });

  it('applies a due promotion step once however many gateways race for it', async () => {
    const fromRedis = await race(redisStore().store);
    const fromMemory = await race(new InMemoryDeploymentStore());
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis).toEqual({ written: 1, weights: { a: 80, b: 20 }, revision: 2 });
  });

  it('lists live instances with what they announced', async () => {
    const now = Date.now();
    const fromRedis = await registry(redisStore().cluster, now);
    const fromMemory = await registry(new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 }), now);
    expect(fromRedis).toEqual(fromMemory);
    const { gateways, workers, embedders } = fromMemory as { gateways: Array<{ id: string; version: string }>; workers: Array<{ id: string; version: string; health: string }>; embedders: unknown[] };
    expect(gateways.map((gateway) => [gateway.id, gateway.version])).toEqual([['g1', 'v1']]);
    expect(workers.map((worker) => [worker.id, worker.version, worker.health])).toEqual([
      ['w1', 'v1', 'healthy'],
      ['w2', 'v2', 'stopping'],
      ['w3', '', 'healthy'],
    ]);
    expect(embedders).toEqual([]);
  });

  it('forgets the details of instances silent for a minute (one write per heartbeat)', async () => {
    const { cluster } = redisStore();
    const prefix = prefixes.at(-1)!;
    const now = Date.now();
    await cluster.heartbeat('worker', 'gone', now - 61_000, details('v1'));
    await cluster.heartbeat('worker', 'here', now, details('v2'));
    expect(await redis.hkeys(`${prefix}:workers:details`)).toEqual(['here']);
    expect(await redis.zrange(`${prefix}:workers`, '0', '-1')).toEqual(['here']);
  });
});
