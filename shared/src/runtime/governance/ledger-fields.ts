import { tenantAccount } from '../../contracts/governance/tenants.js';
import { entryIncrements, periodKey, USAGE_COUNTERS, utcDay, type LedgerEntry, type UsageRow, type UsageTotals } from '../../contracts/governance/ledger.js';

/*
 * How both ledger stores lay out their aggregates, so they cannot drift apart: a hash per UTC day
 * whose fields are `<counter>|<JSON [key id or "", tenant, model]>`, and a hash per budget period
 * (`YYYY-MM-DD`, `YYYY-MM`) from spend account (a key id, or `tenant:<tenant>`) to spent nano-dollars.
 */

/** One integer increment of an aggregate: which day or period hash, which field, by how much. */
export interface LedgerIncrement {
  scope: 'day' | 'spend';
  /** The day (`YYYY-MM-DD`) or budget period (`YYYY-MM-DD` / `YYYY-MM`). */
  bucket: string;
  field: string;
  by: number;
}

const groupOf = (entry: LedgerEntry): string => JSON.stringify([entry.keyId ?? '', entry.tenant, entry.model]);

/** The increments one entry makes: its day's counters (non-zero ones) and, when it cost something, its key's and its tenant's spend. */
export function ledgerIncrements(entry: LedgerEntry): LedgerIncrement[] {
  const bucket = utcDay(entry.at);
  const group = groupOf(entry);
  const totals = entryIncrements(entry);
  const increments: LedgerIncrement[] = USAGE_COUNTERS.filter((counter) => totals[counter] !== 0).map((counter) => ({ scope: 'day', bucket, field: `${counter}|${group}`, by: totals[counter] }));
  if (entry.costNanoUsd > 0) {
    const accounts = entry.keyId === null ? [tenantAccount(entry.tenant)] : [entry.keyId, tenantAccount(entry.tenant)];
    for (const field of accounts) {
      increments.push({ scope: 'spend', bucket: periodKey('daily', entry.at), field, by: entry.costNanoUsd });
      increments.push({ scope: 'spend', bucket: periodKey('monthly', entry.at), field, by: entry.costNanoUsd });
    }
  }
  return increments;
}

/** Turns one day's hash back into rows, keeping those the query's key and tenant select. */
export function rowsOfDay(date: string, fields: Iterable<[string, number]>, filter: { keyId?: string | undefined; tenant?: string | undefined }): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const [field, value] of fields) {
    const bar = field.indexOf('|');
    const counter = field.slice(0, bar) as keyof UsageTotals;
    const group = field.slice(bar + 1);
    let row = rows.get(group);
    if (row === undefined) {
      const [keyId, tenant, model] = JSON.parse(group) as [string, string, string];
      if (filter.keyId !== undefined && keyId !== filter.keyId) continue;
      if (filter.tenant !== undefined && tenant !== filter.tenant) continue;
      row = { date, keyId: keyId === '' ? null : keyId, tenant, model, requests: 0, failedAttempts: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0 };
      rows.set(group, row);
    }
    if (USAGE_COUNTERS.includes(counter)) row[counter] += value;
  }
  return [...rows.values()];
}
