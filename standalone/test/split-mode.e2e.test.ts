import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countKeys, SplitDeployment, startSimulatedProvider, type SimulatedProvider, type StartedProcess } from '@ailb/testkit';

/** Split mode as deployed: separate gateway and worker processes sharing one Redis. */
describe('split mode: two gateways and two workers on one Redis', () => {
  let simulator: SimulatedProvider;
  let deployment: SplitDeployment;
  let processes: StartedProcess[];
  const gatewayUrls: string[] = [];

  beforeAll(async () => {
    simulator = await startSimulatedProvider({ tokensPerSecond: 200 });
    deployment = new SplitDeployment(
      [
        'providers:',
        `  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: "\${SIM_KEY}", models: [sim-small] }`,
        `  - { id: an, type: anthropic, base_url: "${simulator.url}", api_key: "\${SIM_KEY}", models: [sim-large] }`,
        `  - { id: ol, type: ollama, base_url: "${simulator.url}" }`,
      ].join('\n'),
      { SIM_KEY: 'sk-split-secret-123456' },
    );
    const [first, second, ...workers] = await Promise.all([deployment.startGateway(), deployment.startGateway(), deployment.startWorker(), deployment.startWorker()]);
    processes = [first, second, ...workers];
    gatewayUrls.push(first.url, second.url);
  }, 60_000);

  afterAll(async () => {
    await deployment?.close();
    await simulator?.close();
  }, 30_000);

  it('answers every request at the gateway that received it, streaming and not, for every provider type', async () => {
    const jobs: Array<Promise<void>> = [];
    for (const [gatewayIndex, url] of gatewayUrls.entries()) {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
      for (const model of ['oa/sim-small', 'an/sim-large', 'ol/sim-small']) {
        for (let index = 0; index < 4; index++) {
          const question = `gateway ${gatewayIndex} ${model} question ${index}`;
          jobs.push(
            (async () => {
              if (index % 2 === 0) {
                const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }] });
                expect(completion.choices[0]!.message.content).toContain(`You said: ${question}`);
              } else {
                const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: question }] });
                let text = '';
                for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
                expect(text).toContain(`You said: ${question}`);
              }
            })(),
          );
        }
      }
    }
    await Promise.all(jobs);
    const stats = (await (await fetch(`${gatewayUrls[1]}/api/routing/stats`)).json()) as { providers: Record<string, { total_requests: number }> };
    // Stats written by both workers, read from either gateway.
    expect(stats.providers.oa!.total_requests).toBe(8);
    expect(stats.providers.an!.total_requests).toBe(8);
    expect(stats.providers.ol!.total_requests).toBe(8);
  });

  it('reports ready with live workers and never logs the provider key', async () => {
    const ready = await fetch(`${gatewayUrls[0]}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { workers: number }).workers).toBe(2);
    for (const process of processes) expect(process.output()).not.toContain('sk-split-secret-123456');
  });

  it('drains a gateway on SIGTERM: its in-flight stream completes, then it exits cleanly', async () => {
    const client = new OpenAI({ baseURL: `${gatewayUrls[1]}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: '[sim tps=40 tokens=30]' }] });
    const stopping = processes[1]!.stop();
    let words = 0;
    for await (const chunk of stream) words += chunk.choices[0]?.delta.content ? 1 : 0;
    expect(words).toBe(30);
    expect(await stopping).toBe(0);
    await expect(fetch(`${gatewayUrls[1]}/healthz`)).rejects.toThrow();
  });

  it('drains gracefully on SIGTERM: an in-flight stream completes, then the worker deregisters', async () => {
    const client = new OpenAI({ baseURL: `${gatewayUrls[0]}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: '[sim tps=40 tokens=40]' }] });
    const [firstWorker, secondWorker] = [processes[2]!, processes[3]!];
    const stopping = Promise.all([firstWorker.stop(), secondWorker.stop()]);
    let words = 0;
    for await (const chunk of stream) words += chunk.choices[0]?.delta.content ? 1 : 0;
    expect(words).toBe(40);
    expect(await stopping).toEqual([0, 0]);
    // The gateway caches the live-worker count for a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const ready = await fetch(`${gatewayUrls[0]}/readyz`);
    expect(ready.status).toBe(503);
    const refused = await fetch(`${gatewayUrls[0]}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-small', messages: [{ role: 'user', content: 'anyone?' }] }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('no_worker_available');
  });

  it('cleans up after itself', async () => {
    await deployment.close();
    expect(await countKeys(deployment.prefix)).toBe(0);
  });
});
