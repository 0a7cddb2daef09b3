import { DEFAULT_TENANT, GatewayError, NANO_USD_PER_USD, periodKey, tenantAccount, type ApiKeyBudget, type ApiKeyRecord, type BudgetPeriod, type LedgerEntry, type LedgerStore } from '@ailb/shared';
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
  /** The budget of a tenant (config file ⊕ admin API), null when it has none. @defaultValue no tenant budgets */
  tenantBudget?: (tenant: string) => ApiKeyBudget | null;
  /** How long a read spend is trusted before it is read again. @defaultValue 1000 */
  refreshMs?: number;
  now?: () => number;
}

const periodWords = (period: BudgetPeriod): string => (period === 'daily' ? 'UTC day' : 'UTC month');

/**
 * Stops calls once the spend of their API key or of their tenant in the current budget period (UTC
 * day or month) reaches its budget: 429 `insufficient_quota`. A request whose key and tenant have no
 * budget costs nothing here (no read, no await). With one, the spend comes from the ledger's period
 * counter — one HGET at most once a second per account and gateway, plus this gateway's own new
 * entries as they are billed — so other gateways' spend is seen within a second. Requests already in
 * flight when a budget runs out still finish (and are billed): a budget can be overshot by what was
 * in flight.
 */
export class BudgetGuard {
  private readonly spends = new Map<string, CachedSpend>();
  private readonly reads = new Map<string, Promise<number>>();
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly tenantBudget: (tenant: string) => ApiKeyBudget | null;

  constructor(private readonly options: BudgetGuardOptions) {
    this.refreshMs = options.refreshMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.tenantBudget = options.tenantBudget ?? (() => null);
  }

  /**
   * Undefined (synchronously) when neither the key nor the tenant has a budget; otherwise resolves,
   * or rejects with the 429. `key` is absent for requests without an API key (their tenant is `default`).
   */
  check(key: ApiKeyRecord | undefined, tenant: string = key?.tenant ?? DEFAULT_TENANT): Promise<void> | undefined {
    const keyBudget = key?.budget ?? null;
    const tenantBudget = this.tenantBudget(tenant);
    if (keyBudget === null && tenantBudget === null) return undefined;
    const checks: Promise<void>[] = [];
    if (key !== undefined && keyBudget !== null) {
      checks.push(this.enforce(key.id, keyBudget, (spent) => `API key ${key.id} has used its ${keyBudget.period} budget of $${keyBudget.usd} (spent $${spent} this ${periodWords(keyBudget.period)}); raise it with PATCH /admin/keys/${key.id} or wait for the next period.`));
    }
    if (tenantBudget !== null) {
      checks.push(this.enforce(tenantAccount(tenant), tenantBudget, (spent) => `Tenant ${tenant} has used its ${tenantBudget.period} budget of $${tenantBudget.usd} (spent $${spent} this ${periodWords(tenantBudget.period)}); raise it with PUT /admin/tenants/${tenant} or wait for the next period.`));
    }
    return checks.length === 1 ? checks[0] : Promise.all(checks).then(() => undefined);
  }

  /** Counts this gateway's new entries at once, so its own requests see their spend before the next read. */
  billed(entries: readonly LedgerEntry[]): void {
    for (const entry of entries) {
      if (entry.costNanoUsd === 0) continue;
      for (const account of entry.keyId === null ? [tenantAccount(entry.tenant)] : [entry.keyId, tenantAccount(entry.tenant)]) {
        for (const period of ['daily', 'monthly'] as const) {
          const cached = this.spends.get(`${account}|${period}`);
          if (cached !== undefined && cached.period === periodKey(period, entry.at)) cached.nanos += entry.costNanoUsd;
        }
      }
    }
  }

  /** The account's spend this period as this gateway knows it (read if stale), in nano-dollars. */
  spentNanos(account: string, period: BudgetPeriod): Promise<number> {
    return this.spent(account, period);
  }

  private async enforce(account: string, budget: ApiKeyBudget, message: (spentUsd: string) => string): Promise<void> {
    const nanos = await this.spent(account, budget.period);
    if (nanos >= budget.usd * NANO_USD_PER_USD) throw new GatewayError('insufficient_quota', message((nanos / NANO_USD_PER_USD).toFixed(6)));
  }

  private async spent(account: string, period: BudgetPeriod): Promise<number> {
    const now = this.now();
    const current = periodKey(period, now);
    const cacheKey = `${account}|${period}`;
    const cached = this.spends.get(cacheKey);
    if (cached !== undefined && cached.period === current && now - cached.readAt < this.refreshMs) return cached.nanos;
    let read = this.reads.get(cacheKey);
    if (read === undefined) {
      read = this.options.store
        .spend(account, period, now)
        .then((nanos) => {
          this.spends.set(cacheKey, { period: current, nanos, readAt: now });
          return nanos;
        })
        .catch((error: unknown) => {
          // The ledger unreachable must not stop every call: the last known spend (if this period's) decides.
          this.options.logger.warn({ err: error, account }, 'reading a budget spend failed; using the last known value');
          return cached !== undefined && cached.period === current ? cached.nanos : 0;
        })
        .finally(() => this.reads.delete(cacheKey));
      this.reads.set(cacheKey, read);
    }
    return read;
  }
}
