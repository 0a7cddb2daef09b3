import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry, RouteConfig } from '@ailb/shared';
import { resolveKnowledge } from '@ailb/shared/runtime';
import { eventually } from '@ailb/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';
import { NEVER_OPENS } from './support/test-config.js';

/*
 * The cost ledger end to end (embedded default, simulated providers): every attempt of a request
 * that failed over is in the ledger — the failed one as failed and free, the serving one billed with
 * the provider's usage at its target's price —, streamed usage is captured whether or not the client
 * asked for it (and only shown when asked), a spent budget answers 429 insufficient_quota, and the
 * usage endpoints add up to the ledger and show each tenant only its own. Over both drivers: the
 * in-memory ledger of the embedded default and the Redis one of split mode.
 */
const MASTER = 'ledger-master-key-0123456789abcdef';
const target = (provider: string, priority: number, price: { input: number; output: number; cached_input?: number }) => ({ provider, model: 'sim-small', priority, weight: 1, price });
const routes: RouteConfig[] = [
  { model: 'duo', strategy: 'failover', targets: [target('oa', 0, { input: 1, output: 2 }), target('an', 1, { input: 3, output: 15, cached_input: 0.3 })], fallbacks: [] },
  { model: 'pricey', strategy: 'failover', targets: [target('oa', 0, { input: 1000, output: 1000 })], fallbacks: [] },
];

describe.each<Driver>(['in-process', 'bullmq'])('cost ledger, budgets and usage over the %s driver (bullmq: the Redis ledger)', (driver) => {
  let gateway: GatewayUnderTest;
  // The embedded default persists keys under AILB_DATA_DIR: a directory of this test's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'ailb-ledger-'));
  const keys: Record<string, { id: string; key: string }> = {};

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gateway.server.url}${path}`, { method, headers: { authorization: `Bearer ${MASTER}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const client = (name: string) => new OpenAI({ baseURL: `${gateway.server.url}/v1`, apiKey: keys[name]!.key, maxRetries: 0 });
  const usage = async (name: string, query = '') => {
    const response = await fetch(`${gateway.server.url}/v1/usage${query}`, { headers: { authorization: `Bearer ${keys[name]!.key}` } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const entriesOf = async (requestId: string, count: number): Promise<LedgerEntry[]> => {
    let found: LedgerEntry[] = [];
    await eventually(async () => {
      found = (await gateway.server.app.ledger.store.recent(1000)).filter((entry) => entry.requestId === requestId).reverse();
      expect(found).toHaveLength(count);
    });
    return found;
  };

  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver, {
      routes,
      routing: { strategy: 'failover', timeouts: { connectMs: 5000, firstTokenMs: 10_000, stallMs: 10_000, totalMs: 30_000 }, retries: { maxAttemptsPerTarget: 1, backoffBaseMs: 10, backoffMaxMs: 20 }, circuit: NEVER_OPENS, ewmaAlpha: 0.1 },
      auth: { masterKey: MASTER, protectOps: false, keys: [] },
      knowledge: (() => {
        const knowledge = resolveKnowledge({ ENABLE_MEMORY: false, ENABLE_RAG: false }, {});
        return { ...knowledge, embedder: { ...knowledge.embedder, dataDir } };
      })(),
    });
    for (const [name, tenant, budget] of [['a', 'acme', undefined], ['b', 'beta', undefined], ['capped', 'acme', { usd: 0.005, period: 'daily' }]] as const) {
      const created = await admin('POST', '/admin/keys', { name, tenant, ...(budget ? { budget } : {}) });
      expect(created.status).toBe(201);
      keys[name] = { id: created.body.id, key: created.body.key };
    }
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a failed-over request: the failed attempt as failed and free, the serving target billed', async () => {
    gateway.simulator.script([{ fault: '500', count: 1, model: 'sim-small' }]);
    const { data, response } = await client('a').chat.completions.create({ model: 'duo', messages: [{ role: 'user', content: 'hello ledger' }] }).withResponse();
    expect(response.headers.get('x-ailb-route')).toBe('strategy=failover; target=an/sim-small; attempts=2');
    const [failed, served] = await entriesOf(response.headers.get('x-request-id')!, 2);
    expect(failed).toMatchObject({ keyId: keys.a!.id, tenant: 'acme', model: 'duo', provider: 'oa', targetModel: 'sim-small', outcome: 'upstream_error', served: false, inputTokens: 0, outputTokens: 0, costNanoUsd: 0 });
    const prompt = data.usage!.prompt_tokens;
    const completion = data.usage!.completion_tokens;
    expect(prompt).toBeGreaterThan(0);
    expect(served).toMatchObject({ provider: 'an', outcome: 'success', served: true, inputTokens: prompt, outputTokens: completion, unpriced: false });
    // $3 and $15 per 1M tokens: 3000 and 15000 nano-dollars per token.
    expect(served!.costNanoUsd).toBe(prompt * 3000 + completion * 15_000);
    // The cost metric carries the same figure, in dollars.
    const scrape = await (await fetch(`${gateway.server.url}/metrics`)).text();
    const line = scrape.split('\n').find((text) => text.startsWith('ailb_cost_usd_total{model="duo",provider="an"}'));
    expect(Number(line?.split(' ').at(-1))).toBeCloseTo(served!.costNanoUsd / 1e9, 12);
  });

  it('captures streamed usage whether or not the client asked, and shows it only when asked', async () => {
    const stream = async (includeUsage: boolean) => {
      const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.a!.key}` },
        body: JSON.stringify({ model: 'duo', stream: true, messages: [{ role: 'user', content: 'stream me' }], ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }),
      });
      expect(response.status).toBe(200);
      const chunks = (await response.text()).split('\n\n').map((event) => event.replace(/^data: /, '').trim()).filter((data) => data !== '' && data !== '[DONE]').map((data) => JSON.parse(data) as { usage?: { prompt_tokens: number; completion_tokens: number } | null });
      const [served] = await entriesOf(response.headers.get('x-request-id')!, 1);
      return { chunks, served: served! };
    };
    const silent = await stream(false);
    expect(silent.chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(silent.served).toMatchObject({ provider: 'oa', outcome: 'success', served: true });
    expect(silent.served.inputTokens).toBeGreaterThan(0);
    expect(silent.served.outputTokens).toBeGreaterThan(0);
    expect(silent.served.costNanoUsd).toBe(silent.served.inputTokens * 1000 + silent.served.outputTokens * 2000);
    const asked = await stream(true);
    const last = asked.chunks.at(-1)!;
    expect(last.usage).toMatchObject({ prompt_tokens: asked.served.inputTokens, completion_tokens: asked.served.outputTokens });
  });

  it('refuses a key whose budget is spent with 429 insufficient_quota', async () => {
    // $1000 per 1M tokens: the first answer alone spends more than the $0.005 budget.
    const first = await client('capped').chat.completions.create({ model: 'pricey', messages: [{ role: 'user', content: 'spend it all' }] });
    expect(first.usage!.total_tokens * 1000 * 1000).toBeGreaterThan(0.005 * 1e9);
    await eventually(async () => {
      const error = await client('capped').chat.completions.create({ model: 'pricey', messages: [{ role: 'user', content: 'more' }] }).then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    });
    // Other keys are not affected; the key's usage shows the spend.
    expect((await client('a').chat.completions.create({ model: 'pricey', messages: [{ role: 'user', content: 'fine' }] })).choices).toHaveLength(1);
    expect((await usage('capped')).body.totals.cost_usd).toBeGreaterThanOrEqual(0.005);
  });

  it('sums /v1/usage and /admin/usage exactly as the ledger, and shows each tenant only its own', async () => {
    await client('b').chat.completions.create({ model: 'duo', messages: [{ role: 'user', content: 'beta here' }] });
    await eventually(async () => expect((await usage('b')).body.totals.requests).toBe(1));
    const ledger = await gateway.server.app.ledger.store.recent(1000);
    const sum = (keyId: string) => {
      const mine = ledger.filter((entry) => entry.keyId === keyId);
      return {
        requests: mine.filter((entry) => entry.served).length,
        failed_attempts: mine.filter((entry) => !entry.served).length,
        input_tokens: mine.reduce((total, entry) => total + entry.inputTokens, 0),
        output_tokens: mine.reduce((total, entry) => total + entry.outputTokens, 0),
        cost_usd: mine.reduce((total, entry) => total + entry.costNanoUsd, 0) / 1e9,
      };
    };
    const own = await usage('a');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ object: 'usage', key_id: keys.a!.id, tenant: 'acme', totals: sum(keys.a!.id) });
    expect(own.body.totals.failed_attempts).toBe(1);
    expect(new Set(own.body.data.map((row: { model: string }) => row.model))).toEqual(new Set(['duo', 'pricey']));
    const adminView = await admin('GET', `/admin/usage?key_id=${keys.a!.id}`);
    expect(adminView.body.totals).toEqual(own.body.totals);

    // Tenants: beta sees only its one request; acme's tenant view has no beta row, and never beta's key.
    const beta = await usage('b', '?scope=tenant');
    expect(beta.body).toMatchObject({ tenant: 'beta', totals: sum(keys.b!.id) });
    const acme = await usage('a', '?scope=tenant');
    expect(acme.body.totals.requests).toBe(sum(keys.a!.id).requests + sum(keys.capped!.id).requests);
    const everyone = await admin('GET', '/admin/usage');
    expect(new Set(everyone.body.data.map((row: { tenant: string }) => row.tenant))).toEqual(new Set(['acme', 'beta']));
    expect((await admin('GET', '/admin/usage?tenant=beta')).body.data.every((row: { key_id: string }) => row.key_id === keys.b!.id)).toBe(true);
  });

  it('answers bad usage queries with 400 and the admin view only with the master key', async () => {
    expect((await usage('a', '?start=2026-02-30')).body.error).toMatchObject({ code: 'invalid_value', param: 'start' });
    expect((await usage('a', '?start=2026-05-02&end=2026-05-01')).status).toBe(400);
    expect((await usage('a', '?start=2020-01-01&end=2026-01-01')).status).toBe(400);
    expect((await usage('a', '?bogus=1')).body.error).toMatchObject({ code: 'unknown_parameter' });
    const refused = await fetch(`${gateway.server.url}/admin/usage`, { headers: { authorization: `Bearer ${keys.a!.key}` } });
    expect(refused.status).toBe(401);
    expect((await fetch(`${gateway.server.url}/v1/usage`)).status).toBe(401);
  });

  it("stops a tenant's keys once the tenant's budget is spent, set and removed through the admin API", async () => {
    expect((await admin('PUT', '/admin/tenants/beta', { budget: { usd: -1, period: 'daily' } })).body.error).toMatchObject({ code: 'invalid_value', param: 'budget.usd' });
    expect((await admin('PUT', '/admin/tenants/bad%20id', { budget: null })).body.error).toMatchObject({ param: 'tenant' });
    const set = await admin('PUT', '/admin/tenants/beta', { budget: { usd: 0.005, period: 'daily' } });
    expect(set).toMatchObject({ status: 200, body: { object: 'tenant', tenant: 'beta', budget: { usd: 0.005, period: 'daily' }, source: 'api' } });
    // A key of tenant beta without a budget of its own spends the tenant's budget...
    const second = await admin('POST', '/admin/keys', { name: 'b2', tenant: 'beta' });
    keys.b2 = { id: second.body.id, key: second.body.key };
    await client('b').chat.completions.create({ model: 'pricey', messages: [{ role: 'user', content: 'spend the tenant budget' }] });
    // ...and then every key of beta is refused, while acme is not.
    await eventually(async () => {
      const error = await client('b2').chat.completions.create({ model: 'pricey', messages: [{ role: 'user', content: 'more' }] }).then(() => undefined, (failure: unknown) => failure);
      expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', message: expect.stringContaining('Tenant beta') });
    });
    expect((await client('a').chat.completions.create({ model: 'duo', messages: [{ role: 'user', content: 'acme is fine' }] })).choices).toHaveLength(1);
    const listed = await admin('GET', '/admin/tenants');
    expect(listed.body.data).toEqual([expect.objectContaining({ tenant: 'beta', source: 'api', spent_usd: expect.any(Number) })]);
    expect(listed.body.data[0].spent_usd).toBeGreaterThanOrEqual(0.005);
    // Removing the setting lifts the budget on every gateway (here: at once on this one).
    expect((await admin('DELETE', '/admin/tenants/beta')).body).toMatchObject({ tenant: 'beta', budget: null, source: 'config', spent_usd: null });
    expect((await client('b2').chat.completions.create({ model: 'duo', messages: [{ role: 'user', content: 'free again' }] })).choices).toHaveLength(1);
    const refused = await fetch(`${gateway.server.url}/admin/tenants`, { headers: { authorization: `Bearer ${keys.a!.key}` } });
    expect(refused.status).toBe(401);
  });
});
