import type { InstanceDetails, JobContext } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { createModuleServiceClient, eventually as eventuallyPasses, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * Blue/green at its edges, on a real gateway (HTTP and gRPC sockets) over the embedded default's
 * in-process transport: promotions with nothing to shrink, rollback after weights set by hand, jobs
 * stranded in the lane of a version whose workers left, the worker version on error answers, and the
 * desired instance count following load. The gateway is v2; only v1 workers (and the plain queue) run.
 */

const logger = pino({ level: 'silent' });
const config = testAppConfig({ deployment: { version: 'v2', promotionStepMs: 60_000 } });

/** Stand-in worker of `version`: answers, or fails as the upstream would when asked to ("please fail"). */
const answer = (version: string) => (context: JobContext<'chat'>) =>
  JSON.stringify(context.job.call).includes('please fail')
    ? context.reply({ kind: 'error', attempts: [{ provider: 'p', model: 'm', outcome: 'upstream_error', durationMs: 1 }], error: { code: 'upstream_error', message: 'the upstream failed' }, workerVersion: version })
    : context.reply({
        kind: 'result',
        servedBy: { provider: 'p', model: 'm', upstreamMs: 1, workerVersion: version },
        attempts: [{ provider: 'p', model: 'm', outcome: 'success', durationMs: 1 }],
        result: { content: [{ type: 'text', text: `from ${version}` }], finishReason: { unified: 'stop', raw: 'stop' }, usage: null, response: { modelId: 'm' } },
      });

let transport: InProcessTransport;
let state: InMemoryClusterState;
let gateway: RunningGateway;
let client: ModuleServiceTestClient;
/** Instances heartbeating in the registry (refreshed every second, as real ones are): id → details. */
const beating = new Map<string, { kind: 'worker' | 'gateway'; details: InstanceDetails }>();
let beats: NodeJS.Timeout;

const beat = () => Promise.all([...beating].map(([id, { kind, details }]) => state.heartbeat(kind, id, Date.now(), details)));
async function join(kind: 'worker' | 'gateway', id: string, details: Partial<InstanceDetails> & { version: string }) {
  beating.set(id, { kind, details: { address: '', health: 'healthy', startedAt: Date.now(), connections: 0, ...details } });
  await beat();
}
async function leave(kind: 'worker' | 'gateway', id: string) {
  beating.delete(id);
  await state.deregister(kind, id);
}

beforeAll(async () => {
  transport = new InProcessTransport(logger);
  state = new InMemoryClusterState(config.routing);
  await transport.consumer.consume('chat', answer('v1'), 8, { lane: 'v1' });
  await transport.consumer.consume('chat', answer('plain'), 8);
  await join('worker', 'worker-v1', { version: 'v1' });
  beats = setInterval(() => void beat(), 1000);
  gateway = await startGateway(config, logger, { producer: transport.producer, state, traces: new InMemoryTraceStore() });
  client = createModuleServiceClient(gateway.grpcAddress);
});
afterAll(async () => {
  clearInterval(beats);
  client?.close();
  await gateway?.close();
  await transport.consumer.close();
});

async function chat(content = 'hi', stream = false) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content }] }) });
  const body = await response.text();
  return { status: response.status, body, workerVersion: response.headers.get('x-ailb-worker-version') };
}
const eventually = (check: () => void | Promise<void>, timeoutMs = 3000) => eventuallyPasses(check, { timeoutMs, intervalMs: 50 });
const lanesAre = (expected: string) => eventually(async () => expect((await client.GetStatus({})).instance?.metadata.worker_lanes).toBe(expected));

describe('blue/green edges', () => {
  it('a gradual promotion from an empty table starts from the version the workers run, and Rollback undoes it', async () => {
    const started = await client.PromoteVersion({ version: 'v2', promotion_rate: 10 });
    expect(started.message).toContain('The blue/green table was empty: v1');
    expect(await client.GetActiveVersion({})).toMatchObject({ active_version: 'v1', version_weights: { v1: 90, v2: 10 }, config: { canary_enabled: true } });
    // v2 has no workers: its share goes to v1 rather than to a lane nobody takes.
    await lanesAre('v1=90');
    expect((await chat()).workerVersion).toBe('v1');
    const rolledBack = await client.Rollback({});
    expect(rolledBack).toMatchObject({ current_version: 'v1', previous_version: 'v2' });
    expect((await client.GetActiveVersion({})).version_weights).toEqual({ v1: 100, v2: 0 });
  });

  it('refuses a gradual promotion when no other version has traffic to shrink', async () => {
    await client.SetTrafficWeight({ version: 'v1', weight: 0 });
    const refused = await rpcFailure(client.PromoteVersion({ version: 'v2', promotion_rate: 10 }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toContain('promote the current version immediately first');
    expect((await client.GetActiveVersion({})).version_weights).toEqual({ v1: 0, v2: 0 });
    await client.PromoteVersion({ version: 'v1', immediate: true });
    expect((await client.GetActiveVersion({})).version_weights).toEqual({ v1: 100, v2: 0 });
  });

  it('Rollback after weights set by hand returns to the active version, not two releases back', async () => {
    await join('worker', 'worker-v0', { version: 'v0' });
    await client.PromoteVersion({ version: 'v0', immediate: true });
    await client.PromoteVersion({ version: 'v1', immediate: true });
    await client.SetTrafficWeight({ version: 'v1', weight: 90 });
    await client.SetTrafficWeight({ version: 'v2', weight: 10 });
    const rolledBack = await client.Rollback({});
    expect(rolledBack).toMatchObject({ success: true, current_version: 'v1', previous_version: 'v2' });
    expect(await client.GetActiveVersion({})).toMatchObject({ active_version: 'v1', version_weights: { v0: 0, v1: 100, v2: 0 } });
    // The release before v1 is still one Rollback away.
    expect(await client.Rollback({})).toMatchObject({ current_version: 'v0', previous_version: 'v1' });
    await client.Rollback({ target_version: 'v1' });
    await leave('worker', 'worker-v0');
  });

  it('serves the jobs waiting in the lane of a version whose only worker is gone, through another version', async () => {
    // v3's worker announces itself but never takes its lane: the jobs sent there wait.
    await join('worker', 'worker-v3', { version: 'v3' });
    await client.SetTrafficWeight({ version: 'v3', weight: 100 });
    await client.SetTrafficWeight({ version: 'v1', weight: 0 });
    try {
      await lanesAre('v3=100');
      const answers = Promise.all(Array.from({ length: 4 }, () => chat()));
      // Queue statistics count the lane's jobs.
      await eventually(async () => expect((await transport.consumer.stats('chat')).waiting).toBe(4));
      await leave('worker', 'worker-v3');
      for (const served of await answers) expect(served).toMatchObject({ status: 200, workerVersion: 'plain' });
    } finally {
      await leave('worker', 'worker-v3');
      await client.SetTrafficWeight({ version: 'v1', weight: 100 });
      await client.SetTrafficWeight({ version: 'v3', weight: 0 });
      await lanesAre('v1=100');
    }
  });

  it('error answers name the worker version, streaming or not', async () => {
    const plain = await chat('please fail');
    expect(plain.status).toBe(502);
    expect(plain.body).toContain('the upstream failed');
    expect(plain.workerVersion).toBe('v1');
    const streamed = await chat('please fail', true);
    expect(streamed.status).toBe(502);
    expect(streamed.workerVersion).toBe('v1');
  });

  it('the desired instance count follows the live gateways’ connections at each scrape', async () => {
    await join('gateway', 'gateway-busy', { version: 'v1', connections: 5500 });
    const desired = async () => Number(/^ailb_desired_instances (\d+)$/m.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1]);
    const scaled = await client.Scale({ config: { min_instances: 1, max_instances: 50, target_connections: 1000, auto_scaling_enabled: true } });
    expect(scaled).toMatchObject({ current_instances: 2, desired_instances: 6 });
    expect(scaled.message).toContain('follows load');
    expect(await desired()).toBe(6);
    await join('gateway', 'gateway-busy', { version: 'v1', connections: 2500 });
    expect(await desired()).toBe(3);
    await leave('gateway', 'gateway-busy');
    expect(await desired()).toBe(1);
  });
});
