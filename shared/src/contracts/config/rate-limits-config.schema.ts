import { z } from 'zod';
import { parseRateLimitRule, type RateLimitRule, type RateLimitRuleInput } from '../control-plane/rate-limits.js';

/**
 * One entry of the config file's `rate_limits:` list, in the spelling of MarchProxy's `RateLimit`
 * message (snake_case), plus the day window and token limits that message cannot carry. Validated with the same rules as a rule set over gRPC; errors name the key.
 */
export const rateLimitFileSchema = z.strictObject({
  /** Unique id; a rule set over gRPC with this id overrides this one until it is removed. */
  id: z.string(),
  /** `*`, `model:<public model>` or `ip:<client address>`. */
  target: z.string(),
  /** @defaultValue 0 (no per-second limit) */
  requests_per_second: z.number().optional(),
  /** @defaultValue 0 (no per-minute limit) */
  requests_per_minute: z.number().optional(),
  /** @defaultValue 0 (no per-hour limit) */
  requests_per_hour: z.number().optional(),
  /** @defaultValue 0 (no per-day limit) */
  requests_per_day: z.number().optional(),
  /** Extra requests admitted at once on top of `requests_per_second`. @defaultValue 0 */
  burst_size: z.number().optional(),
  /** Model tokens (prompt + completion) of chat requests per second; not in MarchProxy's message. @defaultValue 0 */
  tokens_per_second: z.number().optional(),
  /** @defaultValue 0 (no tokens-per-minute limit) */
  tokens_per_minute: z.number().optional(),
  /** @defaultValue 0 (no tokens-per-hour limit) */
  tokens_per_hour: z.number().optional(),
  /** @defaultValue 0 (no tokens-per-day limit) */
  tokens_per_day: z.number().optional(),
  /** @defaultValue true */
  enabled: z.boolean().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type RateLimitFileEntry = z.infer<typeof rateLimitFileSchema>;

/** The config-file key of each rule field. */
export const RATE_LIMIT_FILE_KEYS: Record<keyof RateLimitRuleInput, keyof RateLimitFileEntry> = {
  id: 'id',
  target: 'target',
  perSecond: 'requests_per_second',
  perMinute: 'requests_per_minute',
  perHour: 'requests_per_hour',
  perDay: 'requests_per_day',
  burst: 'burst_size',
  tokensPerSecond: 'tokens_per_second',
  tokensPerMinute: 'tokens_per_minute',
  tokensPerHour: 'tokens_per_hour',
  tokensPerDay: 'tokens_per_day',
  enabled: 'enabled',
  metadata: 'metadata',
};

function toRuleInput(entry: RateLimitFileEntry): RateLimitRuleInput {
  return {
    id: entry.id,
    target: entry.target,
    perSecond: entry.requests_per_second,
    perMinute: entry.requests_per_minute,
    perHour: entry.requests_per_hour,
    perDay: entry.requests_per_day,
    burst: entry.burst_size,
    tokensPerSecond: entry.tokens_per_second,
    tokensPerMinute: entry.tokens_per_minute,
    tokensPerHour: entry.tokens_per_hour,
    tokensPerDay: entry.tokens_per_day,
    enabled: entry.enabled,
    // Config rules say where they come from, whatever the file wrote there.
    metadata: { ...entry.metadata, source: 'config' },
  };
}

/** The `rate_limits:` list: every entry a valid rule, ids unique. */
export const rateLimitsFileSchema = z.array(rateLimitFileSchema).superRefine((entries, context) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const parsed = parseRateLimitRule(toRuleInput(entry));
    if ('issues' in parsed) {
      for (const issue of parsed.issues) context.addIssue({ code: 'custom', path: issue.field ? [index, RATE_LIMIT_FILE_KEYS[issue.field]] : [index], message: issue.message });
    } else if (seen.has(entry.id)) {
      context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate rate limit id "${entry.id}"` });
    }
    seen.add(entry.id);
  });
});

/**
 * The rules of a validated `rate_limits:` list (`metadata.source` = `config`). Throws on an invalid
 * entry, which `rateLimitsFileSchema` has already refused.
 */
export function resolveRateLimits(entries: readonly RateLimitFileEntry[] | undefined): RateLimitRule[] {
  return (entries ?? []).map((entry, index) => {
    const parsed = parseRateLimitRule(toRuleInput(entry));
    if ('issues' in parsed) throw new Error(`rate_limits[${index}]: ${parsed.issues[0]?.message ?? 'invalid'}`);
    return parsed.rule;
  });
}
