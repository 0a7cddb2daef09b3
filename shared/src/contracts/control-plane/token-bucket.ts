import type { RateLimitBucket, RateLimitDecision } from './rate-limit-store.js';

/*
 * The token-bucket arithmetic of rate limits: the reference implementation. The in-memory store runs
 * it as is; the Redis store runs the same steps in one Lua script (runtime/control-plane/
 * rate-limit-script.ts), and the parity tests hold them to the same answers.
 *
 * Why token buckets: each window needs two numbers of state (exact, O(1), where a sliding log keeps
 * one entry per request — up to the hourly limit), a client that pauses gets its allowance back
 * gradually instead of all at once at a wall-clock boundary, a burst on top of the per-second rate is
 * simply a larger bucket, and the headers OpenAI defines (requests left, time until fully
 * replenished) fall straight out of the state. Counting is exact: a request is admitted only if every
 * bucket holds a whole token, in one atomic step across all gateways.
 *
 * Exact integers: a bucket's level is kept in units of 1/windowMs token, so one millisecond adds
 * exactly `limit` units, a request costs `windowMs` units and a full bucket holds capacity × windowMs
 * units (≤ 2·10⁹ × 3.6·10⁶ < 2⁵³). Lua and JavaScript both compute in IEEE doubles with the same
 * operations in the same order, so the two stores cannot drift apart.
 */

/** A bucket's stored state: its level in units and when it was last brought up to date (epoch ms). */
export interface TokenBucketState {
  units: number;
  at: number;
}

/** Units in a full bucket. */
export const fullUnits = (bucket: RateLimitBucket): number => bucket.capacity * bucket.windowMs;

/**
 * The level at `now`: refilled by `limit` units per elapsed millisecond, never above full. A bucket
 * never seen is full. A `now` behind the stored time (another gateway's clock runs ahead) adds nothing.
 */
export function refilled(state: TokenBucketState | undefined, bucket: RateLimitBucket, now: number): TokenBucketState {
  const full = fullUnits(bucket);
  if (state === undefined) return { units: full, at: now };
  if (now <= state.at) return state;
  // Rounding is monotonic, so an inexact product past `full` still clamps to exactly `full`.
  return { units: Math.min(full, state.units + (now - state.at) * bucket.limit), at: now };
}

/** Milliseconds until a bucket at `units` is full. */
export const msUntilFull = (units: number, bucket: RateLimitBucket): number => Math.ceil((fullUnits(bucket) - units) / bucket.limit);

/** How long the state of a bucket at `units` must be kept: until full (then absent = full), plus a margin. */
export const keepStateMs = (units: number, bucket: RateLimitBucket): number => msUntilFull(units, bucket) + 1000;

/**
 * One request against `buckets` whose current states are `states` (same order): the decision, and
 * the states to write when admitted (undefined when denied: a refusal changes nothing).
 */
export function takeTokens(
  states: ReadonlyArray<TokenBucketState | undefined>,
  buckets: readonly RateLimitBucket[],
  now: number,
): { decision: RateLimitDecision; next: TokenBucketState[] | undefined } {
  if (buckets.length === 0) throw new Error('takeTokens: no buckets');
  const levels = buckets.map((bucket, index) => refilled(states[index], bucket, now));
  let denied = -1;
  let longestWait = 0;
  levels.forEach((level, index) => {
    const bucket = buckets[index]!;
    if (level.units >= bucket.windowMs) return;
    const wait = Math.ceil((bucket.windowMs - level.units) / bucket.limit);
    if (denied < 0 || wait > longestWait) {
      denied = index;
      longestWait = wait;
    }
  });
  if (denied >= 0) {
    const bucket = buckets[denied]!;
    const decision = { allowed: false, bucket, limit: bucket.capacity, remaining: 0, resetMs: msUntilFull(levels[denied]!.units, bucket), retryAfterMs: longestWait };
    return { decision, next: undefined };
  }
  const next = levels.map((level, index) => ({ units: level.units - buckets[index]!.windowMs, at: level.at }));
  let binding = 0;
  let fewest = -1;
  next.forEach((level, index) => {
    const remaining = Math.floor(level.units / buckets[index]!.windowMs);
    if (fewest < 0 || remaining < fewest) {
      binding = index;
      fewest = remaining;
    }
  });
  const bucket = buckets[binding]!;
  return { decision: { allowed: true, bucket, limit: bucket.capacity, remaining: fewest, resetMs: msUntilFull(next[binding]!.units, bucket), retryAfterMs: 0 }, next };
}
