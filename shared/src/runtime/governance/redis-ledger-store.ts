import type { Redis } from 'ioredis';
import { daysBetween, periodKey, type BudgetPeriod, type LedgerEntry, type LedgerStore, type UsageQuery, type UsageRow } from '../../contracts/governance/ledger.js';
import { ledgerIncrements, rowsOfDay } from './ledger-fields.js';

/** How often one store renews an aggregate key's expiry. */
const EXPIRE_RENEWAL_MS = 3_600_000;

export interface RedisLedgerStoreOptions {
  /** Entries kept in the capped list, newest first. @defaultValue 10000 */
  maxEntries?: number;
  /** How long a day's aggregates and a period's spend are kept. @defaultValue 400 days */
  retentionSeconds?: number;
}

/**
 * The ledger in Redis: per-day hashes of integer counters (HINCRBY, so sums across gateways are
 * exact), per-period spend hashes (one HGET answers a budget check) and a capped list of entries.
 * One `record` call is one MULTI: entries and their aggregates are never seen apart.
 */
export class RedisLedgerStore implements LedgerStore {
  private readonly maxEntries: number;
  private readonly retentionSeconds: number;
  /** When this store last set each aggregate key's expiry (epoch ms). */
  private readonly expiredAt = new Map<string, number>();

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
    // A batch's increments summed per hash field first: a batch of many requests of the same key and
    // model is a handful of HINCRBYs, not one per entry and counter.
    const sums = new Map<string, Map<string, number>>();
    for (const entry of entries) {
      for (const increment of ledgerIncrements(entry)) {
        const key = increment.scope === 'day' ? this.dayKey(increment.bucket) : this.spendKey(increment.bucket);
        let fields = sums.get(key);
        if (fields === undefined) sums.set(key, (fields = new Map()));
        fields.set(increment.field, (fields.get(increment.field) ?? 0) + increment.by);
      }
    }
    const multi = this.redis.multi();
    const now = Date.now();
    for (const [key, fields] of sums) {
      for (const [field, by] of fields) multi.hincrby(key, field, by);
      // The retention is renewed once per key and interval, not on every write: it is 400 days long.
      if ((this.expiredAt.get(key) ?? -Infinity) <= now - EXPIRE_RENEWAL_MS) {
        multi.expire(key, this.retentionSeconds);
        this.expiredAt.set(key, now);
      }
    }
    if (this.expiredAt.size > 1024) this.expiredAt.clear();
    multi.lpush(`${this.prefix}:ledger:entries`, ...entries.map((entry) => JSON.stringify(entry)));
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

  async spend(account: string, period: BudgetPeriod, now: number): Promise<number> {
    return Number((await this.redis.hget(this.spendKey(periodKey(period, now)), account)) ?? 0);
  }

  async recent(limit: number): Promise<LedgerEntry[]> {
    if (limit <= 0) return [];
    return (await this.redis.lrange(`${this.prefix}:ledger:entries`, 0, limit - 1)).map((text) => JSON.parse(text) as LedgerEntry);
  }

  /** The connection belongs to the caller. */
  async close(): Promise<void> {}
}
