import { daysBetween, periodKey, type BudgetPeriod, type LedgerEntry, type LedgerStore, type UsageQuery, type UsageRow } from '../../contracts/governance/ledger.js';
import { ledgerIncrements, rowsOfDay } from './ledger-fields.js';

export interface InMemoryLedgerStoreOptions {
  /** Entries kept, newest first. @defaultValue 10000 */
  maxEntries?: number;
}

/**
 * The ledger of the embedded default, in this process (the whole deployment); the same layout as
 * the Redis store (see ledger-fields.ts). Not persisted: a restart starts the day's counters anew.
 */
export class InMemoryLedgerStore implements LedgerStore {
  private readonly days = new Map<string, Map<string, number>>();
  private readonly spends = new Map<string, Map<string, number>>();
  /** Oldest first; trimmed to `maxEntries` in batches, so recording never copies the whole list. */
  private entries: LedgerEntry[] = [];
  private readonly maxEntries: number;

  constructor(options: InMemoryLedgerStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async record(entries: readonly LedgerEntry[]): Promise<void> {
    for (const entry of entries) {
      for (const increment of ledgerIncrements(entry)) {
        const buckets = increment.scope === 'day' ? this.days : this.spends;
        let hash = buckets.get(increment.bucket);
        if (hash === undefined) buckets.set(increment.bucket, (hash = new Map()));
        hash.set(increment.field, (hash.get(increment.field) ?? 0) + increment.by);
      }
      // Every field is a primitive: a shallow copy is a full one.
      this.entries.push({ ...entry });
    }
    if (this.entries.length >= 2 * this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return daysBetween(query.start, query.end).flatMap((day) => rowsOfDay(day, this.days.get(day) ?? [], query));
  }

  async spend(keyId: string, period: BudgetPeriod, now: number): Promise<number> {
    return this.spends.get(periodKey(period, now))?.get(keyId) ?? 0;
  }

  async recent(limit: number): Promise<LedgerEntry[]> {
    const kept = this.entries.slice(-this.maxEntries);
    return kept.slice(Math.max(0, kept.length - Math.max(0, limit))).reverse().map((entry) => ({ ...entry }));
  }

  async close(): Promise<void> {}
}
