import type { RateLimitRule } from './rate-limits.js';

/**
 * The windows a rule can limit: their length, the rule fields of their request and token limits, and
 * the tick their buckets refill by. Ticks are 1 ms except for the day, refilled once a second: a level
 * is kept in units of 1/(windowMs / tickMs) token, and per-millisecond units of a day would not stay
 * exact integers for large token limits (see token-bucket.ts).
 */
export const RATE_LIMIT_WINDOWS = [
  { window: 'second', ms: 1000, tickMs: 1, requests: 'perSecond', tokens: 'tokensPerSecond' },
  { window: 'minute', ms: 60_000, tickMs: 1, requests: 'perMinute', tokens: 'tokensPerMinute' },
  { window: 'hour', ms: 3_600_000, tickMs: 1, requests: 'perHour', tokens: 'tokensPerHour' },
  { window: 'day', ms: 86_400_000, tickMs: 1000, requests: 'perDay', tokens: 'tokensPerDay' },
] as const;

export type RateLimitWindow = (typeof RATE_LIMIT_WINDOWS)[number]['window'];

/** What a bucket counts: requests (one per request) or model tokens (a chat request's estimate, then its usage). */
export type RateLimitUnit = 'requests' | 'tokens';

/**
 * One token bucket: one window of one rule, for requests or for model tokens. It holds `capacity`
 * when full (it starts full), refills continuously at `limit` per `windowMs`; a request takes one from
 * a request bucket and its token estimate from a token bucket.
 */
export interface RateLimitBucket {
  /** Names the bucket's state in the store: `<rule id>:<window>` or `<rule id>:tokens-per-<window>`. */
  key: string;
  ruleId: string;
  window: RateLimitWindow;
  unit: RateLimitUnit;
  /** Added per window: the sustained rate. */
  limit: number;
  windowMs: number;
  /** The refill step: the level changes once per tick (1 ms; 1 s for a day). */
  tickMs: number;
  /** A full bucket: `limit`, plus the rule's burst for the per-second request window. */
  capacity: number;
}

/** The buckets of a rule: one per window whose request limit is above 0, then one per window whose token limit is. */
export function rateLimitBuckets(rule: RateLimitRule): RateLimitBucket[] {
  const buckets: RateLimitBucket[] = [];
  for (const { window, ms, tickMs, requests } of RATE_LIMIT_WINDOWS) {
    const limit = rule[requests];
    if (limit > 0) buckets.push({ key: `${rule.id}:${window}`, ruleId: rule.id, window, unit: 'requests', limit, windowMs: ms, tickMs, capacity: limit + (window === 'second' ? rule.burst : 0) });
  }
  // A suffix no request bucket can end with, so no rule id makes a token key another rule's request key.
  for (const { window, ms, tickMs, tokens } of RATE_LIMIT_WINDOWS) {
    const limit = rule[tokens];
    if (limit > 0) buckets.push({ key: `${rule.id}:tokens-per-${window}`, ruleId: rule.id, window, unit: 'tokens', limit, windowMs: ms, tickMs, capacity: limit });
  }
  return buckets;
}

/** Where one bucket stands after a decision: what OpenAI's `x-ratelimit-*` headers report. */
export interface RateLimitBucketStatus {
  bucket: RateLimitBucket;
  /** The bucket's capacity (x-ratelimit-limit-requests / -tokens). */
  limit: number;
  /** Whole requests or tokens the bucket holds now; 0 when it is empty or in debt. */
  remaining: number;
  /** Milliseconds until the bucket is full again (x-ratelimit-reset-requests / -tokens). */
  resetMs: number;
}

/** Why a request was refused. */
export interface RateLimitRefusal {
  /** The refusing bucket: one the request can never fit, else the one that takes longest to admit it. */
  bucket: RateLimitBucket;
  /** What the request asked of it: 1 request, or the token estimate. */
  requested: number;
  /** What the bucket has taken and not yet refilled (its capacity less its level, rounded up). */
  used: number;
  /**
   * Milliseconds until the request would be admitted (Retry-After); undefined when never: it asks a
   * token bucket for more than its capacity.
   */
  retryAfterMs: number | undefined;
}

/** What one `consume` decided. */
export interface RateLimitDecision {
  /** True when every bucket held what the request takes: it was taken from all of them. */
  allowed: boolean;
  /**
   * The binding request bucket: the refusing one when it refused, else the one with the fewest
   * requests left (the first of equals, in the given order). Undefined without request buckets.
   */
  requests: RateLimitBucketStatus | undefined;
  /** The binding token bucket, chosen the same way. Undefined without token buckets. */
  tokens: RateLimitBucketStatus | undefined;
  /** Set when refused. */
  refusal: RateLimitRefusal | undefined;
}

/** What a request takes from token buckets. */
export interface RateLimitConsumeOptions {
  /** The request's token estimate, taken from every token bucket (a whole number ≥ 0). @defaultValue 0 */
  tokens?: number;
  /** Epoch ms. @defaultValue Date.now() */
  now?: number;
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
   * Checks every bucket and, only when all hold what the request takes (one request; `tokens` from
   * token buckets), takes it from each: one atomic operation (one Lua script in Redis), so gateways
   * racing each other never admit more than the buckets hold. `buckets` must not be empty.
   */
  consume(buckets: readonly RateLimitBucket[], options?: RateLimitConsumeOptions): Promise<RateLimitDecision>;
  /**
   * Adjusts token buckets once a request's real usage is known: `tokens` > 0 gives tokens back
   * (never past full), < 0 takes more (a bucket may go into debt, at most one capacity deep). One
   * atomic operation. `now` is epoch ms.
   */
  settle(buckets: readonly RateLimitBucket[], tokens: number, now?: number): Promise<void>;
}
