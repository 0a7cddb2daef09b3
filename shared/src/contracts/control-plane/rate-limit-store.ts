import type { RateLimitRule } from './rate-limits.js';

/** The windows a rule can limit, with their length. */
export const RATE_LIMIT_WINDOWS = [
  { window: 'second', ms: 1000, field: 'perSecond' },
  { window: 'minute', ms: 60_000, field: 'perMinute' },
  { window: 'hour', ms: 3_600_000, field: 'perHour' },
] as const;

export type RateLimitWindow = (typeof RATE_LIMIT_WINDOWS)[number]['window'];

/**
 * One token bucket: a window of one rule. It holds `capacity` tokens when full (it starts full),
 * refills continuously at `limit` tokens per `windowMs`, and a request takes one token.
 */
export interface RateLimitBucket {
  /** Names the bucket's state in the store: `<rule id>:<window>`. */
  key: string;
  ruleId: string;
  window: RateLimitWindow;
  /** Tokens added per window: the sustained rate. */
  limit: number;
  windowMs: number;
  /** Tokens in a full bucket: `limit`, plus the rule's burst for the per-second window. */
  capacity: number;
}

/** The buckets of a rule: one per window whose limit is above 0. */
export function rateLimitBuckets(rule: RateLimitRule): RateLimitBucket[] {
  return RATE_LIMIT_WINDOWS.filter(({ field }) => rule[field] > 0).map(({ window, ms, field }) => ({
    key: `${rule.id}:${window}`,
    ruleId: rule.id,
    window,
    limit: rule[field],
    windowMs: ms,
    capacity: rule[field] + (window === 'second' ? rule.burst : 0),
  }));
}

/** What one `consume` decided. */
export interface RateLimitDecision {
  /** True when every bucket had a token: the request was counted in all of them. */
  allowed: boolean;
  /**
   * The bucket that binds: when denied, the refusing bucket that takes longest to admit a request;
   * when allowed, the one with the fewest requests left (the first of equals, in the given order).
   */
  bucket: RateLimitBucket;
  /** The binding bucket's capacity (x-ratelimit-limit-requests). */
  limit: number;
  /** Requests the binding bucket admits now (0 when denied). */
  remaining: number;
  /** Milliseconds until the binding bucket is full again (x-ratelimit-reset-requests). */
  resetMs: number;
  /** Milliseconds until this request would be admitted (Retry-After); 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Rate-limit rules set through the control plane, and the token buckets that enforce every rule.
 * Redis in split mode, memory in the embedded default; parity tests hold both to the same results.
 * Config-file rules are not stored: the gateway merges them with these (a stored rule overrides the
 * config rule of the same id).
 */
export interface RateLimitStore {
  /** Stored rules in id order; with `target` (canonical form), only those of that target. */
  list(target?: string): Promise<RateLimitRule[]>;
  get(id: string): Promise<RateLimitRule | undefined>;
  /** Inserts or replaces the rule with `rule.id`. The caller publishes the `rate-limits` topic. */
  set(rule: RateLimitRule): Promise<void>;
  /** Deletes a rule; false when there was none. The caller publishes the `rate-limits` topic. */
  remove(id: string): Promise<boolean>;
  /**
   * Checks every bucket and, only when all have a token, takes one from each: one atomic operation
   * (one Lua script in Redis), so gateways racing each other never admit more than the buckets hold.
   * `buckets` must not be empty. `now` is epoch ms.
   */
  consume(buckets: readonly RateLimitBucket[], now?: number): Promise<RateLimitDecision>;
}
