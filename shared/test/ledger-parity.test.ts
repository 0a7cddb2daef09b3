import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { tenantAccount, type LedgerEntry, type LedgerStore, type UsageRow } from '../src/index.js';
import { InMemoryLedgerStore, RedisLedgerStore } from '../src/runtime/index.js';

/*
 * The LedgerStore contract against both implementations: aggregates are the exact sums of the
 * entries (integer nano-dollars), failed attempts count as failed and cost nothing, spend is per key
 * and period, and the entry list is capped.
 */
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(prefix);
  await redis.quit();
});

const DAY1 = Date.parse('2026-03-31T23:59:00Z');
const DAY2 = Date.parse('2026-04-01T00:01:00Z');

const entry = (extra: Partial<LedgerEntry>): LedgerEntry => ({
  requestId: 'req_1',
  keyId: 'k1',
  tenant: 'acme',
  model: 'chat',
  provider: 'openai',
  targetModel: 'gpt-4o-mini',
  outcome: 'success',
  served: true,
  inputTokens: 100,
  cachedInputTokens: 20,
  outputTokens: 50,
  costNanoUsd: 43_500,
  unpriced: false,
  latencyMs: 12,
  at: DAY1,
  ...extra,
});

const sortRows = (rows: UsageRow[]) => [...rows].sort((left, right) => `${left.date} ${left.keyId ?? ''} ${left.model}` < `${right.date} ${right.keyId ?? ''} ${right.model}` ? -1 : 1);

const stores: Array<[string, () => LedgerStore]> = [
  ['memory', () => new InMemoryLedgerStore({ maxEntries: 3 })],
  [
    'redis',
    () => {
      const prefix = randomPrefix();
      prefixes.push(prefix);
      return new RedisLedgerStore(redis, prefix, { maxEntries: 3 });
    },
  ],
];

describe.each(stores)('LedgerStore (%s)', (_name, make) => {
  it('aggregates entries per day, key, tenant and model; failed attempts count as failed', async () => {
    const store = make();
    await store.record([entry({ outcome: 'upstream_error', served: false, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0 }), entry({})]);
    await store.record([entry({ requestId: 'req_2', costNanoUsd: 1 }), entry({ keyId: 'k2', tenant: 'other', at: DAY2 }), entry({ keyId: null, tenant: 'default', model: 'free', costNanoUsd: 0 })]);
    const rows = sortRows(await store.usage({ start: '2026-03-31', end: '2026-04-01' }));
    expect(rows).toEqual([
      { date: '2026-03-31', keyId: null, tenant: 'default', model: 'free', requests: 1, failedAttempts: 0, inputTokens: 100, cachedInputTokens: 20, outputTokens: 50, costNanoUsd: 0 },
      { date: '2026-03-31', keyId: 'k1', tenant: 'acme', model: 'chat', requests: 2, failedAttempts: 1, inputTokens: 200, cachedInputTokens: 40, outputTokens: 100, costNanoUsd: 43_501 },
      { date: '2026-04-01', keyId: 'k2', tenant: 'other', model: 'chat', requests: 1, failedAttempts: 0, inputTokens: 100, cachedInputTokens: 20, outputTokens: 50, costNanoUsd: 43_500 },
    ]);
    expect(await store.usage({ start: '2026-03-31', end: '2026-04-01', tenant: 'other' })).toHaveLength(1);
    expect((await store.usage({ start: '2026-03-31', end: '2026-03-31', keyId: 'k1' })).map((row) => row.keyId)).toEqual(['k1']);
    expect(await store.usage({ start: '2026-04-02', end: '2026-04-03' })).toEqual([]);
  });

  it("keeps each key's spend per UTC day and month", async () => {
    const store = make();
    await store.record([entry({ costNanoUsd: 1_000 }), entry({ costNanoUsd: 2_000, at: DAY2 }), entry({ keyId: 'k2', costNanoUsd: 7 })]);
    expect(await store.spend('k1', 'daily', DAY1)).toBe(1_000);
    expect(await store.spend('k1', 'daily', DAY2)).toBe(2_000);
    expect(await store.spend('k1', 'monthly', DAY1)).toBe(1_000);
    expect(await store.spend('k1', 'monthly', DAY2)).toBe(2_000);
    expect(await store.spend('k2', 'monthly', DAY1)).toBe(7);
    expect(await store.spend('nobody', 'daily', DAY1)).toBe(0);
  });

  it("keeps each tenant's spend next to its keys' (requests without a key included)", async () => {
    const store = make();
    await store.record([entry({ costNanoUsd: 1_000 }), entry({ keyId: 'k9', costNanoUsd: 5 }), entry({ keyId: null, costNanoUsd: 30 }), entry({ keyId: 'k2', tenant: 'other', costNanoUsd: 7 })]);
    expect(await store.spend(tenantAccount('acme'), 'daily', DAY1)).toBe(1_035);
    expect(await store.spend(tenantAccount('acme'), 'monthly', DAY1)).toBe(1_035);
    expect(await store.spend(tenantAccount('other'), 'daily', DAY1)).toBe(7);
    expect(await store.spend('k1', 'daily', DAY1)).toBe(1_000);
  });

  it('sums a batch of many entries exactly, as one record call', async () => {
    const store = make();
    const batch = Array.from({ length: 200 }, (_, index) => entry({ requestId: `req_${index}`, keyId: index % 2 === 0 ? 'k1' : 'k2', costNanoUsd: index, at: index < 100 ? DAY1 : DAY2 }));
    await store.record(batch);
    const rows = await store.usage({ start: '2026-03-31', end: '2026-04-01' });
    const total = rows.reduce((sum, row) => sum + row.costNanoUsd, 0);
    expect(total).toBe((199 * 200) / 2);
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(200);
    expect(await store.spend('k1', 'monthly', DAY1)).toBe(batch.filter((kept) => kept.keyId === 'k1' && kept.at === DAY1).reduce((sum, kept) => sum + kept.costNanoUsd, 0));
  });

  it('keeps a capped list of the newest entries', async () => {
    const store = make();
    for (let index = 0; index < 5; index++) await store.record([entry({ requestId: `req_${index}` })]);
    expect((await store.recent(10)).map((kept) => kept.requestId)).toEqual(['req_4', 'req_3', 'req_2']);
    expect(await store.recent(0)).toEqual([]);
    await store.close();
    await store.close();
  });
});
