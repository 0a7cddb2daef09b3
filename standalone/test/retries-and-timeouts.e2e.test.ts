import { DEFAULT_TIMEOUTS, type RouteConfig } from '@ailb/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NEVER_OPENS } from './support/test-config.js';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * Attempts against the simulated provider's scripted faults: retries with backoff and Retry-After on
 * one target, failover to the next, time limits, and the routing headers. Faults are scripted per
 * upstream model, so `sim-small` (the first target) fails while `sim-large` (the second) serves.
 */
const target = (provider: string, model: string, priority: number, timeouts?: RouteConfig['targets'][number]['timeouts']) => ({
  provider,
  model,
  priority,
  weight: 1,
  ...(timeouts ? { timeouts } : {}),
});
const routes: RouteConfig[] = [
  { model: 'solo', strategy: 'failover', targets: [target('oa', 'sim-small', 0)], fallbacks: [] },
  { model: 'roomy', strategy: 'failover', targets: [target('an', 'sim-large', 0)], fallbacks: [] },
  { model: 'cramped', strategy: 'failover', targets: [target('oa', 'sim-small', 0)], fallbacks: [], context_fallback: 'roomy' },
  { model: 'duo', strategy: 'failover', targets: [target('oa', 'sim-small', 0), target('an', 'sim-large', 1)], fallbacks: [] },
  {
    model: 'quick',
    strategy: 'failover',
    targets: [target('oa', 'sim-small', 0, { first_token_ms: 300, stall_ms: 300, total_ms: 800 }), target('an', 'sim-large', 1)],
    fallbacks: [],
  },
  { model: 'quick-alone', strategy: 'failover', targets: [target('oa', 'sim-small', 0, { first_token_ms: 300, stall_ms: 300, total_ms: 800 })], fallbacks: [] },
];

describe.each<Driver>(['in-process', 'bullmq'])('retries, failover and time limits over the %s driver (bullmq: two workers)', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver, {
      routes,
      routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: { maxAttemptsPerTarget: 2, backoffBaseMs: 20, backoffMaxMs: 100 }, circuit: NEVER_OPENS, ewmaAlpha: 0.1 },
    }, { extraWorkers: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
  });
  beforeEach(() => gateway.simulator.reset());

  const ask = (model: string, content = 'hello there', extra: Record<string, unknown> = {}) =>
    fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
    });
  const statuses = () => gateway.simulator.requests.map((record) => `${record.model}:${record.status}`);

  it('retries a 500 on the same target and succeeds, listing both attempts', async () => {
    gateway.simulator.script([{ fault: '500', count: 1 }]);
    const response = await ask('solo');
    expect(response.status).toBe(200);
    expect(statuses()).toEqual(['sim-small:500', 'sim-small:200']);
    expect(response.headers.get('x-ailb-route')).toBe('strategy=failover; target=oa/sim-small; attempts=2');
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^oa\/sim-small=upstream_error;\d+ms, oa\/sim-small=success;\d+ms$/);
  });

  it('keeps a trace of the decision: candidates, attempts with outcomes and timings', async () => {
    gateway.simulator.script([{ fault: '500', count: 1 }]);
    const requestId = `trace-${driver}-${Date.now()}`;
    const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ model: 'duo', messages: [{ role: 'user', content: 'trace me' }] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    let trace = await fetch(`${gateway.server.url}/api/routing/trace/${requestId}`);
    for (let wait = 0; trace.status === 404 && wait < 20; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // stored just after the response
      trace = await fetch(`${gateway.server.url}/api/routing/trace/${requestId}`);
    }
    expect(await trace.json()).toMatchObject({
      request_id: requestId,
      model: 'duo',
      strategy: 'failover',
      stream: false,
      outcome: 'success',
      status: 200,
      candidates: [
        { provider: 'oa', model: 'sim-small' },
        { provider: 'an', model: 'sim-large' },
      ],
      excluded: [],
      attempts: [
        { provider: 'oa', model: 'sim-small', outcome: 'upstream_error', status: 502 },
        { provider: 'oa', model: 'sim-small', outcome: 'success', status: 200 },
      ],
    });
    const missing = await fetch(`${gateway.server.url}/api/routing/trace/no-such-request`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('honours a Retry-After of 2 s before retrying a 429, without a tight loop', async () => {
    gateway.simulator.script([{ fault: '429', count: 1, options: { retry_after: 2 } }]);
    const startedAt = Date.now();
    const response = await ask('solo');
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1950);
    expect(statuses()).toEqual(['sim-small:429', 'sim-small:200']);
  });

  it('backs off on a persistent 429 without Retry-After, bounded, then fails over', async () => {
    gateway.simulator.script([{ fault: '429', count: 10, model: 'sim-small' }]);
    const response = await ask('duo');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(statuses()).toEqual(['sim-small:429', 'sim-small:429', 'sim-large:200']);
    const [first, second] = gateway.simulator.requests;
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(9); // backoff base 20 ms, half jittered
  });

  it('propagates a content-policy verdict with the provider reason, without retrying it', async () => {
    gateway.simulator.script([{ fault: 'content_filter', count: 5 }]);
    const response = await ask('duo');
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('content_policy_violation');
    expect(error.message).toMatch(/content/i);
    expect(statuses()).toEqual(['sim-small:400']);
  });

  it('fails over instead of waiting when Retry-After exceeds the budget', async () => {
    gateway.simulator.script([{ fault: '429', count: 5, model: 'sim-small', options: { retry_after: 60 } }]);
    const startedAt = Date.now();
    const response = await ask('duo');
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(statuses()).toEqual(['sim-small:429', 'sim-large:200']);
  });

  it('bounds attempts when every target keeps failing and answers with the failure', async () => {
    gateway.simulator.script([{ fault: '503', count: 10 }]);
    const response = await ask('duo');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_overloaded');
    expect(statuses()).toEqual(['sim-small:503', 'sim-small:503', 'sim-large:503', 'sim-large:503']);
    expect(response.headers.get('x-ailb-route')).toBe('strategy=failover; target=none; attempts=4');
    expect(response.headers.get('x-ailb-attempts')?.split(', ')).toHaveLength(4);
  });

  it('answers the most meaningful failure: a rate limit over a server error', async () => {
    gateway.simulator.script([
      { fault: '500', count: 2, model: 'sim-small' },
      { fault: '429', count: 2, model: 'sim-large', options: { retry_after: 60 } },
    ]);
    const response = await ask('duo');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
  });

  it('does not retry or fail over a verdict on the request', async () => {
    gateway.simulator.script([{ fault: 'context_length', count: 5 }]);
    const response = await ask('duo');
    expect(response.status).toBe(400);
    expect(statuses()).toEqual(['sim-small:400']);
  });

  it('sends a too-long request to the larger-context route, never again to the same model, and reports what served it', async () => {
    gateway.simulator.script([{ fault: 'context_length', count: 5, model: 'sim-small' }]);
    const response = await ask('cramped', 'a long prompt');
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { model: string; usage: { prompt_tokens: number } };
    expect(completion.model).toBe('sim-large');
    expect(completion.usage.prompt_tokens).toBe(3);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(statuses()).toEqual(['sim-small:400', 'sim-large:200']);
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^oa\/sim-small=context_length_exceeded;\d+ms, an\/sim-large=success;\d+ms$/);
  });

  it('reports the fallback target as the model that answered, with its own usage', async () => {
    gateway.simulator.script([{ fault: '503', count: 2, model: 'sim-small' }]);
    const response = await ask('duo', 'one two three');
    const completion = (await response.json()) as { model: string; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(completion.model).toBe('sim-large');
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 8 });
  });

  it('fails over a malformed stream before its first byte, and ends one after it in-band when no target is left', async () => {
    // One malformed event is skipped (stream-continuation.e2e.test.ts); two in a row break the stream.
    gateway.simulator.script([{ fault: 'malformed', count: 5, model: 'sim-small', options: { after: 0, times: 2 } }]);
    const before = await ask('duo', 'hello there', { stream: true });
    expect(before.headers.get('x-ailb-provider')).toBe('an');
    expect(await before.text()).toContain('data: [DONE]');

    gateway.simulator.reset();
    gateway.simulator.script([{ fault: 'malformed', count: 5, model: 'sim-small', options: { after: 3, times: 2 } }]);
    const after = await ask('solo', 'one two three four five six', { stream: true });
    const events = (await after.text()).split('\n\n').filter(Boolean);
    expect(events).not.toContain('data: [DONE]');
    expect((JSON.parse(events.at(-1)!.replace(/^data: /, '')) as { error: { code: string } }).error.code).toBe('upstream_malformed_response');
  });

  it('moves straight to the next target when a deployment rejects its credentials', async () => {
    gateway.simulator.script([{ fault: 'auth', count: 5, model: 'sim-small' }]);
    const response = await ask('duo');
    expect(response.status).toBe(200);
    expect(statuses()).toEqual(['sim-small:401', 'sim-large:200']);
  });

  it('fails over a stream whose first token is too slow, before the client sees a byte', async () => {
    gateway.simulator.script([{ fault: 'slow_first_token', count: 5, model: 'sim-small', options: { delay: 5000 } }]);
    const startedAt = Date.now();
    const response = await ask('quick', 'hello there', { stream: true });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(text).toContain('data: [DONE]');
    // Silence moves on at once: one first-token limit spent on the slow target, not one per retry.
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^oa\/sim-small=upstream_timeout;\d+ms, an\/sim-large=success;\d+ms$/);
  });

  it('ends a stream that stalls after it started, with no target left to continue it, with an in-band timeout within the stall window', async () => {
    gateway.simulator.script([{ fault: 'stall', count: 1, model: 'sim-small', options: { after: 2 } }]);
    const startedAt = Date.now();
    const response = await ask('quick-alone', 'one two three four five', { stream: true });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(events).not.toContain('data: [DONE]');
    const last = JSON.parse(events.at(-1)!.replace(/^data: /, '')) as { error: { code: string; message: string } };
    expect(last.error).toMatchObject({ code: 'upstream_timeout' });
    expect(last.error.message).toContain('stalled');
  });

  it('does not let a provider that never answers hold the request past its total limit', async () => {
    gateway.simulator.script([{ fault: 'no_response', count: 5, model: 'sim-small' }]);
    const startedAt = Date.now();
    const response = await ask('quick');
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    // One attempt on the silent target (no retry on it), then the fallback.
    await gateway.simulator.waitFor((records) => records.filter((record) => record.outcome === 'aborted').length === 1, 3000);
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^oa\/sim-small=upstream_timeout;\d+ms, an\/sim-large=success;\d+ms$/);
  });
});
