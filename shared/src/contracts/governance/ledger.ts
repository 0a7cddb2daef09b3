/*
 * The cost ledger: one entry per upstream attempt of a chat request, and per-day aggregates that
 * `GET /v1/usage`, `GET /admin/usage` and budgets read. Costs are kept in integer nano-dollars
 * (1e-9 USD) so that sums are exact: an aggregate is always the sum of its entries, whatever the
 * order or number of gateways adding to it.
 */

/** Nano-dollars per dollar: costs are integers of 1e-9 USD (the cheapest cached token costs 5). */
export const NANO_USD_PER_USD = 1_000_000_000;

/** One upstream attempt as billed. A failed attempt has no tokens and costs 0. */
export interface LedgerEntry {
  requestId: string;
  /** The API key's id; null when the request had none (open gateway, master key). */
  keyId: string | null;
  tenant: string;
  /** The public model (route) the client asked for. */
  model: string;
  /** The deployment id and upstream model of the attempt. */
  provider: string;
  targetModel: string;
  /** `success`, or the error code the attempt (or the stream it served) ended with. */
  outcome: string;
  /** Whether this attempt served the answer (and is billed with the provider's reported usage). */
  served: boolean;
  inputTokens: number;
  /** Of `inputTokens`, the ones served from the provider's prompt cache. */
  cachedInputTokens: number;
  outputTokens: number;
  /** Cost in nano-dollars (integer); 0 for failed attempts and free or unpriced targets. */
  costNanoUsd: number;
  /** True when the target's price is unknown (the cost is then 0, not a guess). */
  unpriced: boolean;
  latencyMs: number;
  /** Epoch milliseconds when the request ended. */
  at: number;
}

/** Sums over a set of entries. */
export interface UsageTotals {
  /** Served requests (attempts that answered). */
  requests: number;
  /** Attempts that failed (each failed over or ended the request). */
  failedAttempts: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costNanoUsd: number;
}

/** The aggregates of one UTC day, one key, one tenant and one public model. */
export interface UsageRow extends UsageTotals {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  keyId: string | null;
  tenant: string;
  model: string;
}

/** Which aggregates to read: UTC days `start`..`end` inclusive (`YYYY-MM-DD`), optionally one key or tenant. */
export interface UsageQuery {
  start: string;
  end: string;
  keyId?: string | undefined;
  tenant?: string | undefined;
}

/** Budget periods, as API keys state them. */
export type BudgetPeriod = 'daily' | 'monthly';

/**
 * Where ledger entries and their aggregates live (Redis in split mode, memory in the embedded
 * default). Written off the answer's path; read by the usage endpoints and, for keys with a budget,
 * at most once a second per key and gateway.
 */
export interface LedgerStore {
  /** Adds entries; each entry's aggregates are updated atomically with it. */
  record(entries: readonly LedgerEntry[]): Promise<void>;
  /** Aggregates of the query's days, one row per day × key × tenant × model, in no particular order. */
  usage(query: UsageQuery): Promise<UsageRow[]>;
  /**
   * An account's spend in nano-dollars in the period containing `now` (UTC day or month); the account
   * is a key id or a tenant's `tenantAccount(tenant)`.
   */
  spend(account: string, period: BudgetPeriod, now: number): Promise<number>;
  /** The most recent entries, newest first (the store keeps a bounded number). */
  recent(limit: number): Promise<LedgerEntry[]>;
  /** Releases what the store holds. Idempotent. */
  close(): Promise<void>;
}

/** `YYYY-MM-DD` (UTC) of an instant. */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** The period key of an instant: `YYYY-MM-DD` for daily, `YYYY-MM` for monthly (UTC). */
export const periodKey = (period: BudgetPeriod, at: number): string => (period === 'daily' ? utcDay(at) : utcDay(at).slice(0, 7));

/** Every `YYYY-MM-DD` from `start` to `end` inclusive. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${start}T00:00:00Z`), last = Date.parse(`${end}T00:00:00Z`); at <= last; at += 86_400_000) days.push(utcDay(at));
  return days;
}

/** The aggregate counters an entry adds to, by name (the fields of {@link UsageTotals}). */
export function entryIncrements(entry: LedgerEntry): UsageTotals {
  return {
    requests: entry.served ? 1 : 0,
    failedAttempts: entry.served ? 0 : 1,
    inputTokens: entry.inputTokens,
    cachedInputTokens: entry.cachedInputTokens,
    outputTokens: entry.outputTokens,
    costNanoUsd: entry.costNanoUsd,
  };
}

/** The counter names of {@link UsageTotals}, in a fixed order. */
export const USAGE_COUNTERS = ['requests', 'failedAttempts', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'costNanoUsd'] as const;

/** Zeroed totals. */
export const emptyTotals = (): UsageTotals => ({ requests: 0, failedAttempts: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0 });

/** Adds `from` into `into`. */
export function addTotals(into: UsageTotals, from: UsageTotals): UsageTotals {
  for (const counter of USAGE_COUNTERS) into[counter] += from[counter];
  return into;
}
