import { InMemoryLedgerStore } from '@ailb/shared/runtime';
import { makeUsage, type ApiKeyRecord, type LedgerEntry } from '@ailb/shared';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { attemptCostNanoUsd } from './attempt-cost.js';
import { BudgetGuard } from './budget-guard.js';

const key = (budget: ApiKeyRecord['budget']): ApiKeyRecord => ({ id: 'k1', name: 'k', tenant: 'acme', models: null, limits: null, budget, scanPolicy: null, hash: 'h', createdAt: 0, expiresAt: null, revokedAt: null, source: 'api' });
const NOW = Date.parse('2026-06-15T12:00:00Z');
const spent = (costNanoUsd: number, at = NOW): LedgerEntry => ({ requestId: 'r', keyId: 'k1', tenant: 'acme', model: 'm', provider: 'p', targetModel: 't', outcome: 'success', served: true, inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, costNanoUsd, unpriced: false, latencyMs: 1, at });

describe('attempt cost', () => {
  it('bills uncached input, cached input and output at their prices, in integer nano-dollars', () => {
    expect(attemptCostNanoUsd(makeUsage(1000, 100, { cachedInputTokens: 400 }), { input: 2.5, output: 10, cached_input: 1.25 })).toBe(600 * 2500 + 400 * 1250 + 100 * 10_000);
    // No cached price: cached tokens cost the input price.
    expect(attemptCostNanoUsd(makeUsage(1000, 0, { cachedInputTokens: 400 }), { input: 1, output: 2 })).toBe(1000 * 1000);
    expect(attemptCostNanoUsd(makeUsage(1, 1), { input: 0.005, output: 0 })).toBe(5);
  });
});

describe('budget guard', () => {
  const logger = pino({ level: 'silent' });

  it('does nothing for a key without a budget', () => {
    const store = new InMemoryLedgerStore();
    const read = vi.spyOn(store, 'spend');
    expect(new BudgetGuard({ store, logger }).check(key(null))).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
  });

  it('refuses once the period spend reaches the budget, reading the store at most once a second', async () => {
    const store = new InMemoryLedgerStore();
    const read = vi.spyOn(store, 'spend');
    let now = NOW;
    const guard = new BudgetGuard({ store, logger, now: () => now });
    const capped = key({ usd: 1, period: 'daily' });
    await store.record([spent(999_999_000)]);
    await guard.check(capped);
    // Another gateway's spend is not seen before the second is up...
    await store.record([spent(999)]);
    await guard.check(capped);
    expect(read).toHaveBeenCalledTimes(1);
    // ...this gateway's own is, at once.
    guard.billed([spent(1000)]);
    await store.record([spent(1000)]);
    await expect(guard.check(capped)).rejects.toMatchObject({ code: 'insufficient_quota', status: 429 });
    now += 1000;
    await expect(guard.check(capped)).rejects.toMatchObject({ code: 'insufficient_quota' });
    expect(read).toHaveBeenCalledTimes(2);
    // A new UTC day starts from a fresh read (and the monthly budget still counts yesterday).
    now = Date.parse('2026-06-16T00:00:01Z');
    await guard.check(capped);
    await expect(guard.check(key({ usd: 0.5, period: 'monthly' }))).rejects.toMatchObject({ code: 'insufficient_quota' });
  });

  it('keeps serving on the last known spend when the ledger cannot be read', async () => {
    const store = new InMemoryLedgerStore();
    vi.spyOn(store, 'spend').mockRejectedValue(new Error('down'));
    await expect(new BudgetGuard({ store, logger }).check(key({ usd: 1, period: 'daily' }))).resolves.toBeUndefined();
  });

  it("refuses every key of a tenant once the tenant's budget is spent, and requests without a key of tenant default", async () => {
    const store = new InMemoryLedgerStore();
    const budgets: Record<string, { usd: number; period: 'daily' | 'monthly' }> = { acme: { usd: 1, period: 'monthly' } };
    const guard = new BudgetGuard({ store, logger, tenantBudget: (tenant) => budgets[tenant] ?? null, now: () => NOW });
    const other = { ...key(null), id: 'k2' };
    // No key budget, but the tenant's: checked.
    expect(guard.check(other)).toBeDefined();
    await guard.check(other);
    // Key k1 spends the tenant's budget; its sibling k2 is refused too (this gateway's own spend counts at once).
    const spending = [spent(1_000_000_000)];
    guard.billed(spending);
    await store.record(spending);
    await expect(guard.check(other)).rejects.toMatchObject({ code: 'insufficient_quota', status: 429, message: expect.stringContaining('Tenant acme has used its monthly budget of $1') });
    // Another tenant, and a tenant without a budget, pass with no work at all.
    expect(guard.check({ ...other, tenant: 'beta' })).toBeUndefined();
    expect(guard.check(undefined)).toBeUndefined();
    budgets.default = { usd: 0.000001, period: 'daily' };
    await store.record([{ ...spent(5000), keyId: null, tenant: 'default' }]);
    await expect(guard.check(undefined)).rejects.toMatchObject({ code: 'insufficient_quota' });
  });
});
