import { once } from 'node:events';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModuleServiceClient, SplitDeployment, startSimulatedProvider, type ModuleServiceTestClient, type SimulatedProvider } from '@ailb/testkit';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

/* The ModuleService of whole AILB deployments: the embedded default in this process, and split mode as deployed. */

describe('GetStats and GetMetrics in the embedded default', () => {
  let gateway: GatewayUnderTest;
  let client: ModuleServiceTestClient;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest('in-process');
    client = createModuleServiceClient(gateway.server.grpcAddress);
  });
  afterAll(async () => {
    client?.close();
    await gateway?.close();
  });

  it('count the chat requests served through the simulated provider, with its token counts and the queue depth', async () => {
    for (let index = 0; index < 3; index += 1) {
      await gateway.client.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'What is AILB?' }] });
    }
    const { stats } = await client.GetStats({ instance_id: gateway.server.app.instanceId });
    expect(stats).toMatchObject({ total_requests: '3', successful_requests: '3', failed_requests: '0' });
    // The simulator counts words: 3 in, 8 out per request.
    expect(stats!.custom_stats).toMatchObject({ tokens_input: '9', tokens_output: '24', queue_waiting: '0', queue_active: '0' });
    expect(stats!.p50_latency_ms).toBeGreaterThan(0);
    const metrics = await client.GetMetrics({ metric_names: ['requests_successful', 'queue_active'] });
    expect(metrics.metrics!.metrics.map((point) => [point.name, point.value])).toEqual([['requests_successful', 3], ['queue_active', 0]]);
  });
});

describe('Shutdown of a split-mode gateway process', () => {
  let simulator: SimulatedProvider;
  let deployment: SplitDeployment;
  const clients: ModuleServiceTestClient[] = [];

  beforeAll(async () => {
    simulator = await startSimulatedProvider({ tokensPerSecond: 200 });
    deployment = new SplitDeployment(['providers:', `  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: "sk-split-secret-123456", models: [sim-small] }`].join('\n'));
    await deployment.startWorker();
  }, 60_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await deployment?.close();
    await simulator?.close();
  }, 30_000);

  it('drains an in-flight streaming request, then the process exits 0', { timeout: 60_000 }, async () => {
    const gateway = await deployment.startGateway();
    const exited = once(gateway.child, 'exit');
    const client = createModuleServiceClient(gateway.grpcAddress);
    clients.push(client);
    expect((await client.GetStats({ instance_id: gateway.instanceId })).stats?.instance_id).toBe(gateway.instanceId);
    // split mode: the queue belongs to the workers, and the gateway still reports its depth from BullMQ.
    const queue = (await client.GetMetrics({})).metrics!.metrics.filter((point) => point.name.startsWith('queue_'));
    expect(queue.map((point) => [point.name, point.value, point.labels])).toEqual([['queue_waiting', 0, { queue: 'chat' }], ['queue_active', 0, { queue: 'chat' }], ['queue_lag_ms', 0, { queue: 'chat' }]]);

    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    // About two seconds of tokens: still streaming when the Shutdown arrives.
    const stream = await openai.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: '[sim tps=5] drain me please' }] });
    let text = '';
    let finished = false;
    const streamed = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      finished = true;
    })();

    const answer = await client.Shutdown({ instance_id: gateway.instanceId, graceful: true, timeout_seconds: 20 });
    expect(answer.success).toBe(true);
    expect(finished).toBe(false);
    await streamed;
    expect(text).toContain('You said: [sim tps=5] drain me please');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(gateway.output()).toContain('gRPC Shutdown');
  });
});
