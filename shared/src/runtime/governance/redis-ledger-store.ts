import type { Redis } from 'ioredis';
import { daysBetween, periodKey, type BudgetPeriod, type LedgerEntry, type LedgerStore, type UsageQuery, type UsageRow } from '../../contracts/governance/ledger.js';
import { ledgerIncrements, rowsOfDay } from './ledger-fields.js';

export interface RedisLedgerStoreOptions {
  /** Entries kept in the capped list, newest first. @defaultValue 10000 */
  maxEntries?: number;
  /** How long a day's aggregates and a period's spend are kept. @defaultValue 400 days */
  retentionSeconds?: number;
}

/**
 * The ledger in Redis: per-day hashes of integer counters (HINCRBY, so sums across gateways are
 * exact), per-period spend hashes (one HGET answers a budget check) and a capped list of entries.
 * One `record` call is one MULTI: an entry and its aggregates are never seen apart.
 */
export class RedisLedgerStore implements LedgerStore {
  private readonly maxEntries: number;
  private readonly retentionSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisLedgerStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.retentionSeconds = options.retentionSeconds ?? 400 * 86_400;
  }

  private dayKey(day: string): string {
    return `${this.prefix}:ledger:day:${day}`;
  }

  private spendKey(period: string): string {
    return `${this.prefix}:ledger:spend:${period}`;
  }

  async record(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const multi = this.redis.multi();
    const touched = new Set<string>();
    for (const entry of entries) {
      for (const increment of ledgerIncrements(entry)) {
        const key = increment.scope === 'day' ? this.dayKey(increment.bucket) : this.spendKey(increment.bucket);
        multi.hincrby(key, increment.field, increment.by);
        touched.add(key);
      }
      multi.lpush(`${this.prefix}:ledger:entries`, JSON.stringify(entry));
    }
    for (const key of touched) multi.expire(key, this.retentionSeconds);
    multi.ltrim(`${this.prefix}:ledger:entries`, 0, this.maxEntries - 1);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (results === null) throw new Error('ledger write aborted');
    if (failed) throw failed[0];
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const days = daysBetween(query.start, query.end);
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.dayKey(day));
    const results = (await pipeline.exec()) ?? [];
    return days.flatMap((day, index) => {
      const [error, fields] = results[index] ?? [null, {}];
      if (error) throw error;
      return rowsOfDay(day, Object.entries(fields as Record<string, string>).map(([field, value]) => [field, Number(value)]), query);
    });
  }

  async spend(keyId: string, period: BudgetPeriod, now: number): Promise<number> {
    return Number((await this.redis.hget(this.spendKey(periodKey(period, now)), keyId)) ?? 0);
  }

  async recent(limit: number): Promise<LedgerEntry[]> {
    if (limit <= 0) return [];
    return (await this.redis.lrange(`${this.prefix}:ledger:entries`, 0, limit - 1)).map((text) => JSON.parse(text) as LedgerEntry);
  }

  /** The connection belongs to the caller. */
  async close(): Promise<void> {}
}
