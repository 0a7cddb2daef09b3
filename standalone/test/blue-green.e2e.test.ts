import { RedisClusterState, RedisDeploymentStore } from '@ailb/shared/runtime';
import { Queue } from 'bullmq';
import { createModuleServiceClient, deletePrefix, eventually as eventuallyPasses, randomPrefix, REDIS_URL, startSimulatedProvider, type ModuleServiceTestClient, type SimulatedProvider } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '../src/start-standalone.js';
import { simulatedProviders, testConfig } from './support/test-config.js';

/*
 * Blue/green across a split deployment on one Redis: two processes' worth of roles, each a gateway
 * and a real BullMQ worker, one of VERSION v1 and one of v2. The control plane is driven over gRPC
 * (a client built from the .proto files) through either gateway; the effects are counted on real
 * chat answers (`x-ailb-worker-version`) and on /readyz.
 */

const prefix = randomPrefix();
let simulator: SimulatedProvider;
let v1: RunningStandalone;
let v2: RunningStandalone;
let clientV1: ModuleServiceTestClient;
let clientV2: ModuleServiceTestClient;
let redis: Redis;

beforeAll(async () => {
  simulator = await startSimulatedProvider();
  const base = { providers: simulatedProviders(simulator.url), redis: { url: REDIS_URL, prefix } };
  // v1's gateway starts promotions that step once a minute (a canary that stays mid-way); v2's step every 400 ms.
  v1 = await startStandalone(testConfig({ ...base, deployment: { version: 'v1', promotionStepMs: 60_000 } }), pino({ level: 'silent' }));
  v2 = await startStandalone(testConfig({ ...base, deployment: { version: 'v2', promotionStepMs: 400 } }), pino({ level: 'silent' }));
  clientV1 = createModuleServiceClient(v1.grpcAddress);
  clientV2 = createModuleServiceClient(v2.grpcAddress);
  redis = new Redis(REDIS_URL);
}, 60_000);

afterAll(async () => {
  clientV1?.close();
  clientV2?.close();
  await Promise.all([v1?.close(), v2?.close()]);
  await simulator?.close();
  await redis?.quit();
  await deletePrefix(prefix);
}, 60_000);

/** One chat request; returns the version of the worker that answered (streaming or not). */
async function chat(server: RunningStandalone, stream = false): Promise<string> {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim-small', stream, messages: [{ role: 'user', content: 'hi [sim tokens=3]' }] }),
  });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  if (stream) expect(body).toContain('data: [DONE]');
  return response.headers.get('x-ailb-worker-version') ?? 'none';
}

/** `total` requests, alternating gateways, a tenth streaming, `concurrency` at a time; answers counted by worker version. */
async function split(total: number, concurrency = 16): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const version = await chat(index % 2 === 0 ? v1 : v2, index % 10 === 0);
        counts[version] = (counts[version] ?? 0) + 1;
      }
    }),
  );
  return counts;
}

/** Polls until `check` passes (3 s unless given): state other gateways apply asynchronously. */
const eventually = (check: () => Promise<void>, timeoutMs = 3000) => eventuallyPasses(check, { timeoutMs, intervalMs: 100 });

const readyz = async (server: RunningStandalone) => (await fetch(`${server.url}/readyz`)).status;

describe('blue/green across two gateways and two worker versions', () => {
  it('lists both gateways and both workers with their versions', async () => {
    await eventually(async () => {
      const listed = await clientV2.GetInstances({});
      const summary = listed.instances.map((instance) => `${instance.metadata.role}:${instance.version}`).sort();
      expect(summary).toEqual(['gateway:v1', 'gateway:v2', 'worker:v1', 'worker:v2']);
    });
    const gateways = (await clientV1.GetInstances({})).instances.filter((instance) => instance.metadata.role === 'gateway');
    expect(gateways.map((gateway) => gateway.address).sort()).toEqual([new URL(v1.url).host, new URL(v2.url).host].sort());
    expect(gateways.every((gateway) => gateway.metadata.grpc_address !== '')).toBe(true);
  });

  it('without blue/green, any worker answers and every answer names its worker version', async () => {
    const counts = await split(40);
    expect((counts.v1 ?? 0) + (counts.v2 ?? 0)).toBe(40);
  });

  it('error answers name their worker version too, streaming or not', async () => {
    for (const stream of [false, true]) {
      const response = await fetch(`${v1.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-small', stream, messages: [{ role: 'user', content: 'hi [sim fault=context_length]' }] }),
      });
      const body = await response.text();
      expect(response.status, body).toBe(400);
      expect(body).toContain('context_length_exceeded');
      expect(['v1', 'v2']).toContain(response.headers.get('x-ailb-worker-version'));
    }
  });

  it('splits 1,000 chat jobs 90/10 between v1 and v2 workers, set through one gateway, applied by both', async () => {
    await clientV1.SetTrafficWeight({ version: 'v1', weight: 90 });
    await clientV1.SetTrafficWeight({ version: 'v2', weight: 10 });
    // Both gateways have re-read the weights and the live worker versions.
    await eventually(async () => {
      for (const client of [clientV1, clientV2]) expect((await client.GetStatus({})).instance?.metadata.worker_lanes).toBe('v1=90,v2=10');
    });
    const counts = await split(1000);
    expect(counts.v1! + counts.v2!).toBe(1000);
    // Within ±5 points of 90 %.
    expect(counts.v1! / 1000).toBeGreaterThanOrEqual(0.85);
    expect(counts.v1! / 1000).toBeLessThanOrEqual(0.95);
  }, 120_000);

  it('weight 0 set through one gateway drains the other within a second (/readyz, gRPC health status)', async () => {
    await clientV1.SetTrafficWeight({ version: 'v2', weight: 0 });
    await eventually(async () => expect(await readyz(v2)).toBe(503), 1000);
    expect(await readyz(v1)).toBe(200);
    expect((await clientV2.HealthCheck({})).checks.traffic_weight).toBe('0 for version v2');
    await clientV1.SetTrafficWeight({ version: 'v2', weight: 10 });
    await eventually(async () => expect(await readyz(v2)).toBe(200), 1000);
  });

  it('rolls back mid-canary: 100 % returns to the previously active version and the canary stops', async () => {
    await clientV1.PromoteVersion({ version: 'v1', immediate: true });
    // Through v1's gateway: steps a minute apart, so the canary is mid-way while the test runs.
    const started = await clientV1.PromoteVersion({ version: 'v2', promotion_rate: 30 });
    expect(started.message).toContain('Canary started');
    expect((await clientV2.GetActiveVersion({})).version_weights).toEqual({ v1: 70, v2: 30 });

    const rolledBack = await clientV2.Rollback({});
    expect(rolledBack).toMatchObject({ success: true, previous_version: 'v2', current_version: 'v1' });
    const after = await clientV1.GetActiveVersion({});
    expect(after).toMatchObject({ active_version: 'v1', version_weights: { v1: 100, v2: 0 }, config: { canary_enabled: false } });
    await eventually(async () => {
      for (const client of [clientV1, clientV2]) expect((await client.GetStatus({})).instance?.metadata.worker_lanes).toBe('v1=100');
    });
    expect(await split(60)).toEqual({ v1: 60 });
  }, 30_000);

  it('advances a gradual promotion step by step, each step written once though both gateways race for it', async () => {
    const store = new RedisDeploymentStore(redis, prefix);
    const startRevision = (await store.blueGreen()).revision;
    // Through v2's gateway: 25 points now and every 400 ms → 25, 50, 75, 100.
    await clientV2.PromoteVersion({ version: 'v2', promotion_rate: 25 });
    const seen = new Set<number>();
    await eventually(async () => {
      const state = await clientV1.GetActiveVersion({});
      seen.add(state.version_weights.v2 ?? -1);
      expect(state.active_version).toBe('v2');
    }, 5000);
    expect([...seen].every((weight) => [25, 50, 75, 100].includes(weight))).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const finished = await store.blueGreen();
    expect(finished).toMatchObject({ active: 'v2', previous: 'v1', canary: null, weights: { v1: 0, v2: 100 } });
    // One write to start, one per step (three): no step applied twice by the racing gateways.
    expect(finished.revision - startRevision).toBe(4);
    await eventually(async () => expect(await split(20)).toEqual({ v2: 20 }));
  }, 30_000);

  it('serves the jobs waiting in the lane of a version whose only worker is gone through the other versions, before their deadline', async () => {
    // A v3 worker announces itself (so gateways route to its lane) and is gone before taking a job.
    const registry = new RedisClusterState(redis, prefix, v1.config.routing);
    await registry.heartbeat('worker', 'ghost-v3', Date.now(), { version: 'v3', address: '', health: 'healthy', startedAt: Date.now(), connections: 0 });
    await clientV1.SetTrafficWeight({ version: 'v3', weight: 100 });
    await clientV1.SetTrafficWeight({ version: 'v2', weight: 0 });
    await eventually(async () => {
      for (const client of [clientV1, clientV2]) expect((await client.GetStatus({})).instance?.metadata.worker_lanes).toBe('v3=100');
    });
    const lane = new Queue('chat@v3', { connection: { url: REDIS_URL }, prefix });
    try {
      const answers = Promise.all(Array.from({ length: 6 }, (_, index) => chat(index % 2 === 0 ? v1 : v2, index === 0)));
      await eventually(async () => expect(await lane.getWaitingCount()).toBe(6));
      await registry.deregister('worker', 'ghost-v3');
      // chat() expects 200: each was answered (the deadline is 15 s), by a worker of another version.
      const versions = await answers;
      expect(versions.every((version) => version === 'v1' || version === 'v2')).toBe(true);
      expect(await lane.getWaitingCount()).toBe(0);
    } finally {
      await lane.close();
      await clientV1.SetTrafficWeight({ version: 'v2', weight: 100 });
      await clientV1.SetTrafficWeight({ version: 'v3', weight: 0 });
    }
  }, 30_000);

  it('Scale stores the desired count cluster-wide: every gateway exposes it', async () => {
    const scaled = await clientV1.Scale({ config: { min_instances: 1, max_instances: 8, target_connections: 50, auto_scaling_enabled: true } });
    expect(scaled).toMatchObject({ success: true, current_instances: 2 });
    for (const server of [v1, v2]) {
      await eventually(async () => expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(new RegExp(`^ailb_desired_instances ${scaled.desired_instances}$`, 'm')), 1000);
    }
  });
});
