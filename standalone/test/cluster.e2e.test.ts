import type { RouteConfig } from '@ailb/shared';
import { deletePrefix, randomPrefix, REDIS_URL, startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '../src/start-standalone.js';
import { simulatedProviders, testConfig } from './support/test-config.js';

/*
 * Two gateway instances (each with a worker) on one Redis: they share the round-robin position,
 * target health and in-flight counts, so a concurrency limit holds across the cluster.
 */
const routes: RouteConfig[] = [
  {
    model: 'rr',
    strategy: 'round_robin',
    targets: [
      { provider: 'oa', model: 'sim-small', priority: 0, weight: 1 },
      { provider: 'an', model: 'sim-large', priority: 0, weight: 1 },
    ],
    fallbacks: [],
  },
  { model: 'capped', strategy: 'failover', targets: [{ provider: 'ol', model: 'sim-small', priority: 0, weight: 1, max_concurrency: 2 }], fallbacks: [] },
];

describe('two gateways on one Redis', () => {
  let simulator: SimulatedProvider;
  const prefix = randomPrefix();
  const servers: RunningStandalone[] = [];

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    for (let index = 0; index < 2; index++) {
      const config = testConfig({ providers: simulatedProviders(simulator.url), redis: { url: REDIS_URL, prefix }, routes });
      servers.push(await startStandalone(config, pino({ level: 'silent' })));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await simulator?.close();
    await deletePrefix(prefix);
  });

  const ask = (server: RunningStandalone, model: string, content = 'hi', stream = false) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
    });

  it('rotates round-robin as one, whichever gateway takes the request', async () => {
    const providers: string[] = [];
    for (let request = 0; request < 6; request++) {
      const response = await ask(servers[request % 2]!, 'rr');
      await response.arrayBuffer();
      providers.push(response.headers.get('x-ailb-provider')!);
    }
    // Gateways alternate too, so a per-gateway counter would send every request to the same target.
    for (let index = 1; index < providers.length; index++) expect(providers[index]).not.toBe(providers[index - 1]);
  });

  it('enforces max_concurrency across gateways and answers 429 with Retry-After when the target is full', async () => {
    const slow = [ask(servers[0]!, 'capped', '[sim tps=10 tokens=20]', true), ask(servers[0]!, 'capped', '[sim tps=10 tokens=20]', true)];
    const opened = await Promise.all(slow);
    expect(opened.map((response) => response.status)).toEqual([200, 200]);
    // Both streams are running; the other gateway sees them (after its 250 ms health cache).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = (await (await fetch(`${servers[1]!.url}/api/routing/stats`)).json()) as { targets: Record<string, { in_flight: number }> };
    expect(stats.targets['ol/sim-small']?.in_flight).toBe(2);
    const refused = await ask(servers[1]!, 'capped');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await Promise.all(opened.map((response) => response.text()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await ask(servers[1]!, 'capped')).status).toBe(200);
  });
});
