import { GatewayError, NANO_USD_PER_USD, periodKey, type ApiKeyRecord, type BudgetPeriod, type LedgerEntry, type LedgerStore } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

interface CachedSpend {
  /** The period the value is for (`YYYY-MM-DD` or `YYYY-MM`): a new period starts from a fresh read. */
  period: string;
  nanos: number;
  readAt: number;
}

export interface BudgetGuardOptions {
  store: LedgerStore;
  logger: FastifyBaseLogger;
  /** How long a read spend is trusted before it is read again. @defaultValue 1000 */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Stops a key's calls once its spend in the current budget period (UTC day or month) reaches its
 * budget: 429 `insufficient_quota`. A key without a budget costs nothing here (no read, no await).
 * With one, its spend comes from the ledger's period counter — one HGET at most once a second per key
 * and gateway, plus this gateway's own new entries as they are billed — so other gateways' spend is
 * seen within a second. Requests already in flight when the budget runs out still finish (and are
 * billed): a budget can be overshot by what was in flight.
 */
export class BudgetGuard {
  private readonly spends = new Map<string, CachedSpend>();
  private readonly reads = new Map<string, Promise<number>>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BudgetGuardOptions) {
    this.refreshMs = options.refreshMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Undefined (synchronously) when the key has no budget; otherwise resolves, or rejects with the 429. */
  check(record: ApiKeyRecord): Promise<void> | undefined {
    const budget = record.budget;
    if (budget === null) return undefined;
    return this.spent(record.id, budget.period).then((nanos) => {
      if (nanos >= budget.usd * NANO_USD_PER_USD) {
        const spent = (nanos / NANO_USD_PER_USD).toFixed(6);
        throw new GatewayError('insufficient_quota', `API key ${record.id} has used its ${budget.period} budget of $${budget.usd} (spent $${spent} this ${budget.period === 'daily' ? 'UTC day' : 'UTC month'}); raise it with PATCH /admin/keys/${record.id} or wait for the next period.`);
      }
    });
  }

  /** Counts this gateway's new entries at once, so its own requests see their spend before the next read. */
  billed(entries: readonly LedgerEntry[]): void {
    for (const entry of entries) {
      if (entry.keyId === null || entry.costNanoUsd === 0) continue;
      for (const period of ['daily', 'monthly'] as const) {
        const cached = this.spends.get(`${entry.keyId}|${period}`);
        if (cached !== undefined && cached.period === periodKey(period, entry.at)) cached.nanos += entry.costNanoUsd;
      }
    }
  }

  private async spent(keyId: string, period: BudgetPeriod): Promise<number> {
    const now = this.now();
    const current = periodKey(period, now);
    const cacheKey = `${keyId}|${period}`;
    const cached = this.spends.get(cacheKey);
    if (cached !== undefined && cached.period === current && now - cached.readAt < this.refreshMs) return cached.nanos;
    let read = this.reads.get(cacheKey);
    if (read === undefined) {
      read = this.options.store
        .spend(keyId, period, now)
        .then((nanos) => {
          this.spends.set(cacheKey, { period: current, nanos, readAt: now });
          return nanos;
        })
        .catch((error: unknown) => {
          // The ledger unreachable must not stop every call: the last known spend (if this period's) decides.
          this.options.logger.warn({ err: error, keyId }, 'reading a budget spend failed; using the last known value');
          return cached !== undefined && cached.period === current ? cached.nanos : 0;
        })
        .finally(() => this.reads.delete(cacheKey));
      this.reads.set(cacheKey, read);
    }
    return read;
  }
}
