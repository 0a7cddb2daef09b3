import { addTotals, emptyTotals, GatewayError, utcDay, type UsageRow, type UsageTotals } from '@ailb/shared';
import { z } from 'zod';
import { nanoToUsd } from '../../usage/attempt-cost.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const date = z
  .string()
  .regex(DAY, 'must be a date YYYY-MM-DD')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && utcDay(Date.parse(`${text}T00:00:00Z`)) === text, 'must be a real date YYYY-MM-DD');

/** Days one query may span (a year, leap day included). */
export const MAX_USAGE_DAYS = 366;
/** Days shown when the query names no `start`. */
const DEFAULT_DAYS = 30;

/** Query parameters shared by `GET /v1/usage` and `GET /admin/usage`, plus the ones each adds. */
export function usageQuerySchema<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.strictObject({ start: date.optional(), end: date.optional(), ...extra });
}

/** `start`..`end` (UTC days, inclusive): end defaults to today, start to 29 days before end. 400 when reversed or too long. */
export function dayRange(query: { start?: string | undefined; end?: string | undefined }, now = Date.now()): { start: string; end: string } {
  const end = query.end ?? utcDay(now);
  const start = query.start ?? utcDay(Date.parse(`${end}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000);
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1) throw new GatewayError('invalid_value', `start (${start}) is after end (${end}).`, { param: 'start' });
  if (days > MAX_USAGE_DAYS) throw new GatewayError('invalid_value', `The range ${start}..${end} spans ${days} days; at most ${MAX_USAGE_DAYS} per query.`, { param: 'start' });
  return { start, end };
}

/** The query string as `schema` reads it, or 400 naming the first wrong parameter. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const param = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  throw new GatewayError(issue.code === 'unrecognized_keys' ? 'unknown_parameter' : 'invalid_value', param ? `${param}: ${issue.message}` : issue.message, { param: param || null });
}

/** Totals as the API shows them (snake_case, cost in USD). */
export function totalsView(totals: UsageTotals): Record<string, number> {
  return {
    requests: totals.requests,
    failed_attempts: totals.failedAttempts,
    input_tokens: totals.inputTokens,
    cached_input_tokens: totals.cachedInputTokens,
    output_tokens: totals.outputTokens,
    total_tokens: totals.inputTokens + totals.outputTokens,
    cost_usd: nanoToUsd(totals.costNanoUsd),
  };
}

/** Rows merged by the fields `groupOf` names, each group's totals summed; sorted by group. */
export function groupRows(rows: readonly UsageRow[], groupOf: (row: UsageRow) => Record<string, string | null>): Array<Record<string, unknown>> {
  const groups = new Map<string, { fields: Record<string, string | null>; totals: UsageTotals }>();
  for (const row of rows) {
    const fields = groupOf(row);
    const id = JSON.stringify(fields);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { fields, totals: emptyTotals() }));
    addTotals(group.totals, row);
  }
  return [...groups.entries()].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)).map(([, group]) => ({ ...group.fields, ...totalsView(group.totals) }));
}

/** The sum of every row. */
export const sumRows = (rows: readonly UsageRow[]): UsageTotals => rows.reduce<UsageTotals>((sum, row) => addTotals(sum, row), emptyTotals());
