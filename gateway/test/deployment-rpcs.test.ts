import { loadHealthDefinition } from '@ailb/proto';
import type { InstanceDetails, JobContext } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { createModuleServiceClient, type ModuleServiceTestClient } from '@ailb/testkit';
import { credentials, loadPackageDefinition, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * The deployment RPCs on a real gateway (HTTP and gRPC sockets) over the embedded default's in-process
 * transport and in-memory state. Stand-in workers of versions v1 and v2 take the chat queue's version
 * lanes, so the split the gateway makes is what the test counts.
 */

type HealthClient = Client & { Check(request: { service: string }, callback: (error: ServiceError | null, response?: { status: string }) => void): void };

const logger = pino({ level: 'silent' });
const config = testAppConfig({ deployment: { version: 'v2', promotionStepMs: 60_000 } });
const workerDetails = (version: string): InstanceDetails => ({ version, address: '', health: 'healthy', startedAt: Date.now(), connections: 0, metadata: { role: 'worker', concurrency: '8' } });
const answer = (version: string) => (context: JobContext<'chat'>) =>
  context.reply({
    kind: 'result',
    servedBy: { provider: 'p', model: 'm', upstreamMs: 1, workerVersion: version },
    attempts: [{ provider: 'p', model: 'm', outcome: 'success', durationMs: 1 }],
    result: { content: [{ type: 'text', text: `from ${version}` }], finishReason: { unified: 'stop', raw: 'stop' }, usage: null, response: { modelId: 'm' } },
  });

let transport: InProcessTransport;
let state: InMemoryClusterState;
let gateway: RunningGateway;
let client: ModuleServiceTestClient;
let health: HealthClient;

beforeAll(async () => {
  transport = new InProcessTransport(logger);
  state = new InMemoryClusterState(config.routing);
  for (const version of ['v1', 'v2']) {
    await transport.consumer.consume('chat', answer(version), 8, { lane: version });
    await state.heartbeat('worker', `worker-${version}`, Date.now(), workerDetails(version));
  }
  // The plain queue, taken by every worker: it serves when no version lane applies.
  await transport.consumer.consume('chat', answer('plain'), 8);
  gateway = await startGateway(config, logger, { producer: transport.producer, state, traces: new InMemoryTraceStore() });
  client = createModuleServiceClient(gateway.grpcAddress);
  const healthPackage = loadPackageDefinition(loadHealthDefinition()) as unknown as { grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } } } };
  health = new healthPackage.grpc.health.v1.Health(gateway.grpcAddress, credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  health?.close();
  await gateway?.close();
  await transport.consumer.close();
});

const readyz = async () => (await fetch(`${gateway.url}/readyz`)).status;
const grpcHealth = () => new Promise<string>((resolve, reject) => health.Check({ service: '' }, (error, response) => (error ? reject(error) : resolve(response!.status))));
const chat = async () => {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('x-ailb-worker-version');
};
const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('the call succeeded'), (error: ServiceError) => error);
/** Waits for the gateway's cached state (and its live worker versions, re-read every second) to settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));

describe('blue/green on one gateway', () => {
  it('uses the plain queue and serves while no blue/green is configured', async () => {
    expect(await chat()).toBe('plain');
    expect(await readyz()).toBe(200);
    expect(await grpcHealth()).toBe('SERVING');
    const active = await client.GetActiveVersion({});
    expect(active).toMatchObject({ active_version: '', version_weights: {} });
  });

  it('weight 0 for this gateway’s version flips /readyz and gRPC health to not serving, and back', async () => {
    const set = await client.SetTrafficWeight({ version: 'v2', weight: 0 });
    expect(set.success).toBe(true);
    expect(set.message).toContain('not-serving');
    expect(await readyz()).toBe(503);
    expect(((await (await fetch(`${gateway.url}/readyz`)).json()) as { reason: string }).reason).toContain('traffic weight 0');
    expect(await grpcHealth()).toBe('NOT_SERVING');
    const check = await client.HealthCheck({ deep_check: false });
    expect(check.status).toBe('HEALTH_STATUS_DEGRADED');
    expect(check.checks.traffic_weight).toBe('0 for version v2');

    await client.SetTrafficWeight({ version: 'v2', weight: 5 });
    expect(await readyz()).toBe(200);
    expect(await grpcHealth()).toBe('SERVING');
  });

  it('splits chat jobs 90/10 over worker versions, each answer naming its worker version', async () => {
    await client.SetTrafficWeight({ version: 'v1', weight: 90 });
    await client.SetTrafficWeight({ version: 'v2', weight: 10 });
    await settle();
    const counts: Record<string, number> = {};
    for (let batch = 0; batch < 20; batch++) {
      const versions = await Promise.all(Array.from({ length: 10 }, chat));
      for (const version of versions) counts[String(version)] = (counts[String(version)] ?? 0) + 1;
    }
    expect(counts.v1! + counts.v2!).toBe(200);
    expect(Math.abs(counts.v1! - 180)).toBeLessThanOrEqual(10);
    const active = await client.GetActiveVersion({});
    expect(active.version_weights).toEqual({ v1: 90, v2: 10 });
    expect(active.config).toMatchObject({ blue_version: 'v2', green_version: 'v1', blue_weight: 10, green_weight: 90, canary_enabled: false });
  });

  it('leaves out a version whose workers are all stopping', async () => {
    await state.heartbeat('worker', 'worker-v2', Date.now(), { ...workerDetails('v2'), health: 'stopping' });
    await settle();
    const versions = await Promise.all(Array.from({ length: 20 }, chat));
    expect(new Set(versions)).toEqual(new Set(['v1']));
    await state.heartbeat('worker', 'worker-v2', Date.now(), workerDetails('v2'));
  });

  it('rolls back mid-canary: everything returns to the previously active version', async () => {
    await client.PromoteVersion({ version: 'v1', immediate: true });
    const started = await client.PromoteVersion({ version: 'v2', immediate: false, promotion_rate: 20 });
    expect(started.message).toContain('Canary started');
    const canary = await client.GetActiveVersion({});
    expect(canary).toMatchObject({ active_version: 'v1', version_weights: { v1: 80, v2: 20 }, config: { canary_enabled: true, canary_percent: 20, green_version: 'v2' } });

    const rolledBack = await client.Rollback({});
    expect(rolledBack).toMatchObject({ success: true, previous_version: 'v2', current_version: 'v1' });
    expect((await client.GetActiveVersion({})).version_weights).toEqual({ v1: 100, v2: 0 });
    await settle();
    expect(new Set(await Promise.all(Array.from({ length: 20 }, chat)))).toEqual(new Set(['v1']));
    // This gateway is v2: drained by the rollback.
    expect(await readyz()).toBe(503);
  });

  it('refuses bad blue/green requests with the field named', async () => {
    const weight = await failure(client.SetTrafficWeight({ version: 'v1', weight: 150 }));
    expect(weight.code).toBe(status.INVALID_ARGUMENT);
    expect(weight.details).toContain('weight');
    expect(client.failureResponse('SetTrafficWeight', weight)?.error?.details).toMatchObject({ field: 'weight' });
    expect((await failure(client.SetTrafficWeight({ version: '', weight: 10 }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(client.PromoteVersion({ version: 'v9', immediate: true }))).code).toBe(status.FAILED_PRECONDITION);
    expect((await failure(client.PromoteVersion({ version: 'v1', promotion_rate: 500 }))).details).toContain('promotion_rate');
    expect((await failure(client.Rollback({ target_version: 'v9' }))).code).toBe(status.NOT_FOUND);
    expect((await failure(client.GetActiveVersion({ instance_id: 'nobody' }))).code).toBe(status.NOT_FOUND);
  });
});

describe('fleet RPCs on one gateway', () => {
  it('GetStatus and HealthCheck describe this gateway from real state', async () => {
    const response = await client.GetStatus({});
    expect(response.instance).toMatchObject({ instance_id: gateway.app.instanceId, module_type: 'MODULE_TYPE_AILB', version: 'v2', traffic_weight: 0, address: new URL(gateway.url).host });
    expect(response.instance?.metadata).toMatchObject({ role: 'gateway', grpc_address: gateway.grpcAddress, blue_green: 'configured', worker_lanes: 'v1=100' });
    expect(Number(response.instance?.started_at?.seconds)).toBeGreaterThan(0);
    expect(response.details).toMatchObject({ queue: 'ok', workers: '2 live', draining: 'no', embedder: expect.any(String), circuits: 'none open of 1 targets' });
    const deep = await client.HealthCheck({ deep_check: true });
    expect(deep.checks).toHaveProperty('circuits');
    expect((await client.HealthCheck({})).checks).not.toHaveProperty('circuits');
    expect((await failure(client.HealthCheck({ instance_id: 'elsewhere' }))).code).toBe(status.NOT_FOUND);
  });

  it('GetInstances lists the gateway and workers with role, version, health and weight', async () => {
    const listed = await client.GetInstances({});
    const byId = new Map(listed.instances.map((instance) => [instance.instance_id, instance]));
    expect(byId.get(gateway.app.instanceId)).toMatchObject({ version: 'v2', traffic_weight: 0, metadata: { role: 'gateway' }, module_type: 'MODULE_TYPE_AILB' });
    expect(byId.get('worker-v1')).toMatchObject({ version: 'v1', traffic_weight: 100, health_status: 'HEALTH_STATUS_HEALTHY', max_connections: 8, metadata: { role: 'worker' } });
    expect(listed.total_instances).toBe(listed.instances.length);
    expect((await client.GetInstances({ module_type: 'MODULE_TYPE_ALB' })).instances).toEqual([]);
    await state.heartbeat('worker', 'worker-v2', Date.now(), { ...workerDetails('v2'), health: 'stopping' });
    const stopping = await client.GetInstances({ status_filter: 'HEALTH_STATUS_STOPPING' });
    expect(stopping.instances.map((instance) => instance.instance_id)).toEqual(['worker-v2']);
    await state.heartbeat('worker', 'worker-v2', Date.now(), workerDetails('v2'));
  });

  it('Scale validates, stores the desired count and exposes it as gauges', async () => {
    const before = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(before).not.toMatch(/^ailb_desired_instances /m);
    const bad = await failure(client.Scale({ config: { min_instances: 5, max_instances: 2 } }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(client.failureResponse('Scale', bad)?.error?.details).toMatchObject({ field: 'config.min_instances' });
    expect((await failure(client.Scale({}))).details).toContain('config');
    expect((await failure(client.Scale({ config: { min_instances: 1, max_instances: 3, target_cpu_percent: 140 } }))).details).toContain('config.target_cpu_percent');

    const scaled = await client.Scale({ config: { min_instances: 2, max_instances: 5, target_cpu_percent: 70, cooldown_seconds: 30 } });
    expect(scaled).toMatchObject({ success: true, current_instances: 1, desired_instances: 2 });
    expect(scaled.message).toContain('does not start or stop processes');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^ailb_desired_instances 2$/m);
    expect(metrics).toMatch(/^ailb_scaling_max_instances 5$/m);
    expect(metrics).toMatch(/^ailb_scaling_target_cpu_percent 70$/m);
    expect(metrics).toMatch(/^ailb_traffic_weight\{version="v1"\} 100$/m);
  });
});
