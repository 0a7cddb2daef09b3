import type { RateLimitBucket, RateLimitBucketStatus, RateLimitDecision, RateLimitUnit } from './rate-limit-store.js';

/*
 * The token-bucket arithmetic of rate limits: the reference implementation. The in-memory store runs
 * it as is; the Redis store runs the same steps in two Lua scripts (runtime/control-plane/
 * rate-limit-script.ts), both stores turn the resulting levels into a decision with `decide`, and the
 * parity tests hold them to the same answers.
 *
 * Why token buckets: each window needs two numbers of state (exact, O(1), where a sliding log keeps
 * one entry per request — up to the daily limit), a client that pauses gets its allowance back
 * gradually instead of all at once at a wall-clock boundary, a burst on top of the per-second rate is
 * simply a larger bucket, and the headers OpenAI defines (requests or tokens left, time until fully
 * replenished) fall straight out of the state. Counting is exact: a request is admitted only if every
 * bucket holds what it takes, in one atomic step across all gateways.
 *
 * Exact integers: time advances in ticks of `tickMs` (1 ms; 1 s for a day window) and a bucket's level
 * is kept in units of 1/(windowMs / tickMs) of a request or token, so one tick adds exactly `limit`
 * units and taking n costs n × windowMs / tickMs units. A full bucket holds capacity × windowMs /
 * tickMs units: at most 2·10⁹ × 1000 (second, with burst), 10⁹ × 3.6·10⁶ (hour) or 10⁹ × 86 400
 * (day). A token bucket may go into debt after a request used more than its estimate, never below
 * minus one full bucket, and a settlement moves it by at most one capacity, so every intermediate
 * value stays within ±2 full buckets ≤ 7.2·10¹⁵ < 2⁵³. Lua and JavaScript both compute in IEEE doubles
 * with the same operations in the same order, so the two stores cannot drift apart.
 */

/** A bucket's stored state: its level in units and the tick it was last brought up to date at (epoch ms / tickMs). */
export interface TokenBucketState {
  units: number;
  at: number;
}

/** Units one request or token is worth in `bucket`. */
export const unitsPerOne = (bucket: RateLimitBucket): number => bucket.windowMs / bucket.tickMs;

/** Units in a full bucket. */
export const fullUnits = (bucket: RateLimitBucket): number => bucket.capacity * unitsPerOne(bucket);

/** What a request takes from `bucket`: one from a request bucket, its token estimate from a token bucket. */
export const costOf = (bucket: RateLimitBucket, tokens: number): number => (bucket.unit === 'requests' ? 1 : tokens);

/**
 * The level at tick `tick`: refilled by `limit` units per elapsed tick, never above full. A bucket
 * never seen is full. A tick behind the stored one (another gateway's clock runs ahead) adds nothing.
 */
export function refilled(state: TokenBucketState | undefined, bucket: RateLimitBucket, tick: number): TokenBucketState {
  const full = fullUnits(bucket);
  if (state === undefined) return { units: full, at: tick };
  if (tick <= state.at) return state;
  // Rounding is monotonic, so an inexact product past `full` still clamps to exactly `full`.
  return { units: Math.min(full, state.units + (tick - state.at) * bucket.limit), at: tick };
}

/** Milliseconds from `now` until a bucket at `units` holds `target` units (0 when it does). */
function msUntil(target: number, units: number, bucket: RateLimitBucket, now: number): number {
  if (units >= target) return 0;
  return Math.max(0, (Math.floor(now / bucket.tickMs) + Math.ceil((target - units) / bucket.limit)) * bucket.tickMs - now);
}

/** How long the state of a bucket at `units` must be kept: until full (then absent = full), plus a margin. */
export const keepStateMs = (units: number, bucket: RateLimitBucket): number => Math.ceil((fullUnits(bucket) - units) / bucket.limit) * bucket.tickMs + 1000;

/** What the take step found: the levels (after the take when admitted) and the refusing bucket. */
export interface TakeOutcome {
  /** Index of the refusing bucket, -1 when admitted. */
  refused: number;
  /** Milliseconds until admitted; -1 when never (a token estimate above a bucket's capacity); 0 when admitted. */
  waitMs: number;
  /** Each bucket's level in units at `now`: after the take when admitted, as found when refused. */
  levels: number[];
}

/**
 * One request against `buckets` whose current states are `states` (same order), taking `tokens` from
 * token buckets: what happened, and the states to write when admitted (undefined when refused: a
 * refusal changes nothing).
 */
export function takeTokens(
  states: ReadonlyArray<TokenBucketState | undefined>,
  buckets: readonly RateLimitBucket[],
  tokens: number,
  now: number,
): { outcome: TakeOutcome; next: TokenBucketState[] | undefined } {
  if (buckets.length === 0) throw new Error('takeTokens: no buckets');
  const levels = buckets.map((bucket, index) => refilled(states[index], bucket, Math.floor(now / bucket.tickMs)));
  let refused = -1;
  let longestWait = 0;
  levels.forEach((level, index) => {
    const bucket = buckets[index]!;
    const needed = costOf(bucket, tokens) * unitsPerOne(bucket);
    if (level.units >= needed) return;
    // A request larger than the bucket never fits: it refuses for good, before any wait.
    const wait = needed > fullUnits(bucket) ? -1 : msUntil(needed, level.units, bucket, now);
    if (refused < 0 || (longestWait >= 0 && (wait < 0 || wait > longestWait))) {
      refused = index;
      longestWait = wait;
    }
  });
  if (refused >= 0) return { outcome: { refused, waitMs: longestWait, levels: levels.map((level) => level.units) }, next: undefined };
  const next = levels.map((level, index) => ({ units: level.units - costOf(buckets[index]!, tokens) * unitsPerOne(buckets[index]!), at: level.at }));
  return { outcome: { refused: -1, waitMs: 0, levels: next.map((level) => level.units) }, next };
}

/**
 * A settlement against token buckets whose current states are `states`: `tokens` added (refund) or
 * taken (overrun), clamped to one capacity; the level stays within [-full, full]. The states to write.
 */
export function settleTokens(states: ReadonlyArray<TokenBucketState | undefined>, buckets: readonly RateLimitBucket[], tokens: number, now: number): TokenBucketState[] {
  return buckets.map((bucket, index) => {
    const level = refilled(states[index], bucket, Math.floor(now / bucket.tickMs));
    const full = fullUnits(bucket);
    const delta = Math.max(-bucket.capacity, Math.min(bucket.capacity, tokens)) * unitsPerOne(bucket);
    return { units: Math.max(-full, Math.min(full, level.units + delta)), at: level.at };
  });
}

/** The status of one bucket at `units`. */
function status(bucket: RateLimitBucket, units: number, now: number): RateLimitBucketStatus {
  return { bucket, limit: bucket.capacity, remaining: Math.max(0, Math.floor(units / unitsPerOne(bucket))), resetMs: msUntil(fullUnits(bucket), units, bucket, now) };
}

/** The binding bucket of one unit: the refusing one if it is of that unit, else the one with the fewest left (first of equals). */
function binding(unit: RateLimitUnit, buckets: readonly RateLimitBucket[], outcome: TakeOutcome, now: number): RateLimitBucketStatus | undefined {
  if (outcome.refused >= 0 && buckets[outcome.refused]!.unit === unit) return status(buckets[outcome.refused]!, outcome.levels[outcome.refused]!, now);
  let chosen: RateLimitBucketStatus | undefined;
  buckets.forEach((bucket, index) => {
    if (bucket.unit !== unit) return;
    const candidate = status(bucket, outcome.levels[index]!, now);
    if (chosen === undefined || candidate.remaining < chosen.remaining) chosen = candidate;
  });
  return chosen;
}

/** The decision a take outcome makes, the same for every store. */
export function decide(buckets: readonly RateLimitBucket[], tokens: number, outcome: TakeOutcome, now: number): RateLimitDecision {
  let refusal: RateLimitDecision['refusal'];
  if (outcome.refused >= 0) {
    const bucket = buckets[outcome.refused]!;
    const used = Math.ceil((fullUnits(bucket) - outcome.levels[outcome.refused]!) / unitsPerOne(bucket));
    refusal = { bucket, requested: costOf(bucket, tokens), used, retryAfterMs: outcome.waitMs < 0 ? undefined : outcome.waitMs };
  }
  return { allowed: outcome.refused < 0, requests: binding('requests', buckets, outcome, now), tokens: binding('tokens', buckets, outcome, now), refusal };
}
