import { parseRateLimitRule, type ApiKeyRecord, type RateLimitRule } from '@ailb/shared';

/** The id of the rule a key's `limits` make; the `key-limits:` prefix keeps it apart from other rules. */
export const keyLimitRuleId = (keyId: string): string => `key-limits:${keyId}`;

/**
 * The rate-limit rule of a key's `limits` (target `key:<id>`), enforced by the one rate-limit
 * mechanism like any other rule; undefined when the key sets no limit above 0 or cannot be used.
 */
export function keyLimitRule(record: ApiKeyRecord): RateLimitRule | undefined {
  const limits = record.limits;
  if (limits === null || record.revokedAt !== null) return undefined;
  const windows = {
    perSecond: limits.requests_per_second ?? 0,
    perMinute: limits.requests_per_minute ?? 0,
    perHour: limits.requests_per_hour ?? 0,
    perDay: limits.requests_per_day ?? 0,
    tokensPerSecond: limits.tokens_per_second ?? 0,
    tokensPerMinute: limits.tokens_per_minute ?? 0,
    tokensPerHour: limits.tokens_per_hour ?? 0,
    tokensPerDay: limits.tokens_per_day ?? 0,
  };
  if (Object.values(windows).every((limit) => limit === 0)) return undefined;
  const parsed = parseRateLimitRule({ id: keyLimitRuleId(record.id), target: `key:${record.id}`, ...windows, metadata: { source: 'key', key: record.id } });
  return 'rule' in parsed ? parsed.rule : undefined;
}
