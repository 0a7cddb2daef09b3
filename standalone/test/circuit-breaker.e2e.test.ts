import { DEFAULT_CIRCUIT, DEFAULT_TIMEOUTS, type RouteConfig } from '@ailb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * A primary that goes down and comes back, against shared circuit breakers (threshold 2, cooldown
 * 1 s here): served from the fallback meanwhile without touching the dead primary on every request,
 * one probe per cooldown, and back on the primary as soon as a probe succeeds.
 */
const routes: RouteConfig[] = [
  {
    model: 'flappy',
    strategy: 'failover',
    targets: [
      { provider: 'oa', model: 'sim-small', priority: 0, weight: 1 },
      { provider: 'an', model: 'sim-large', priority: 1, weight: 1 },
    ],
    fallbacks: [],
  },
  { model: 'lonely', strategy: 'failover', targets: [{ provider: 'ol', model: 'sim-small', priority: 0, weight: 1 }], fallbacks: [] },
];
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe.each<Driver>(['in-process', 'bullmq'])('circuit breakers over the %s driver (bullmq: two workers)', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver, {
      routes,
      routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: { maxAttemptsPerTarget: 1, backoffBaseMs: 10, backoffMaxMs: 10 }, circuit: { ...DEFAULT_CIRCUIT, failureThreshold: 2, cooldownMs: 1000 }, ewmaAlpha: 0.1 },
    }, { extraWorkers: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const ask = async (model: string, requestId?: string) => {
    const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'status?' }] }),
    });
    await response.arrayBuffer();
    return response;
  };
  const primaryCalls = () => gateway.simulator.requests.filter((record) => record.model === 'sim-small').length;
  const stats = async () => (await (await fetch(`${gateway.server.url}/api/routing/stats`)).json()) as { targets: Record<string, { circuit: string; consecutive_failures: number }> };

  it('serves from the fallback while the primary is down, probing it once per cooldown, and returns to it on recovery', async () => {
    gateway.simulator.reset();
    gateway.simulator.script([{ fault: '503', count: 1000, model: 'sim-small' }]);

    // Down: two failures open the circuit; after that the primary is not called at all.
    for (let request = 0; request < 2; request++) expect((await ask('flappy')).headers.get('x-ailb-provider')).toBe('an');
    expect(primaryCalls()).toBe(2);
    // The opening is announced to every gateway at once (it used to wait out a 250 ms health cache);
    // the announcement and the answer travel on two connections, so allow them a moment.
    await pause(30);
    for (let request = 0; request < 4; request++) {
      const response = await ask('flappy');
      expect(response.headers.get('x-ailb-provider')).toBe('an');
      expect(response.headers.get('x-ailb-attempts')).toMatch(/^an\/sim-large=success/);
    }
    expect(primaryCalls()).toBe(2);
    expect((await stats()).targets['oa/sim-small']).toMatchObject({ circuit: 'open', consecutive_failures: 2 });
    const skipped = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `skipped-${driver}` },
      body: JSON.stringify({ model: 'flappy', messages: [{ role: 'user', content: 'status?' }] }),
    });
    await skipped.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const trace = (await (await fetch(`${gateway.server.url}/api/routing/trace/skipped-${driver}`)).json()) as { excluded: unknown[] };
    expect(trace.excluded).toEqual([{ provider: 'oa', model: 'sim-small', reason: 'circuit_open' }]);

    // Still down after the cooldown: exactly one probe, which fails and re-opens the circuit.
    await pause(1100);
    for (let request = 0; request < 3; request++) expect((await ask('flappy')).headers.get('x-ailb-provider')).toBe('an');
    expect(primaryCalls()).toBe(3);

    // Recovered: the next probe after the cooldown succeeds and closes the circuit.
    gateway.simulator.reset();
    await pause(1100);
    expect((await ask('flappy')).headers.get('x-ailb-provider')).toBe('oa');
    await pause(300);
    for (let request = 0; request < 3; request++) expect((await ask('flappy')).headers.get('x-ailb-provider')).toBe('oa');
    expect((await stats()).targets['oa/sim-small']).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
  });

  it('fails fast with 503 and Retry-After when every target of a model is open, and a bad request never opens it', async () => {
    gateway.simulator.reset();
    gateway.simulator.script([{ fault: 'context_length', count: 5 }]);
    for (let request = 0; request < 3; request++) expect((await ask('lonely')).status).toBe(400);

    gateway.simulator.reset();
    gateway.simulator.script([{ fault: '500', count: 1000 }]);
    for (let request = 0; request < 2; request++) expect((await ask('lonely')).status).toBe(502);
    await pause(300);
    const refused = await ask('lonely', `refused-${driver}`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(gateway.simulator.requests).toHaveLength(2);
    // Refused before a plan existed, the request still leaves a trace of what was left out.
    const trace = (await (await fetch(`${gateway.server.url}/api/routing/trace/refused-${driver}`)).json()) as Record<string, unknown>;
    expect(trace).toMatchObject({ outcome: 'no_target_available', status: 503, attempts: [], strategy: 'failover', excluded: [{ provider: 'ol', model: 'sim-small', reason: 'circuit_open' }] });
  });
});
