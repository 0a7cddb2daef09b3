import { describe, expect, it } from 'vitest';
import { rateLimitBuckets, type RateLimitDecision, type RateLimitStore } from '../src/index.js';
import { rule, useRateLimitStores } from './support/rate-limit-stores.js';

/*
 * Token limits: a chat request takes its estimate from token buckets when admitted and settles to its
 * reported usage afterwards. The Redis store (two Lua scripts) and the in-memory store must agree on
 * every step, and both must match the hand-computed bucket levels.
 */

/** A decision without bucket objects, for comparing and reading. */
const summary = (decision: RateLimitDecision) => ({
  allowed: decision.allowed,
  requestsLeft: decision.requests?.remaining,
  tokens: decision.tokens && { key: decision.tokens.bucket.key, limit: decision.tokens.limit, remaining: decision.tokens.remaining, resetMs: decision.tokens.resetMs },
  refusal: decision.refusal && { key: decision.refusal.bucket.key, requested: decision.refusal.requested, used: decision.refusal.used, retryAfterMs: decision.refusal.retryAfterMs },
});

/** 1,000 tokens and 100 requests per minute: one token comes back every 60 ms. */
const tpm = rule({ id: 'tpm', target: '*', perMinute: 100, tokensPerMinute: 1000 });

/** Consumes and settles at offsets (ms) from `start`, as a chat request's life does. */
async function replay(store: RateLimitStore, start: number) {
  const buckets = rateLimitBuckets(tpm);
  const tokenBuckets = buckets.filter((bucket) => bucket.unit === 'tokens');
  const take = async (offset: number, tokens: number) => summary(await store.consume(buckets, { tokens, now: start + offset }));
  const settle = (offset: number, tokens: number) => store.settle(tokenBuckets, tokens, start + offset);
  const steps = [];
  steps.push(await take(0, 300)); // 0: admitted, 700 left
  steps.push(await take(0, 800)); // 1: 100 short: 100 tokens refill in 6 s
  steps.push(await take(0, 1500)); // 2: more than the bucket ever holds: never
  await settle(0, 200); // the first request used 100 of its 300: 200 back → 900
  steps.push(await take(0, 900)); // 3: admitted, 0 left
  await settle(0, -500); // it used 500 more than its estimate: 500 in debt
  steps.push(await take(0, 1)); // 4: refused until the debt is repaid and one token refilled: 501 × 60 ms
  await settle(0, 5000); // a settlement moves a bucket by one capacity at most (no estimate is larger): 500
  steps.push(await take(0, 500)); // 5: admitted: exactly what it holds
  await settle(0, 2000); // a refund never fills past full
  steps.push(await take(0, 1001)); // 6: never: more than full
  steps.push(await take(0, 1000)); // 7: admitted: full
  await settle(0, -5000); // an overrun larger than the bucket: at most one bucket of debt
  steps.push(await take(60_000, 1)); // 8: a minute refilled 1,000: level 0, still one token short
  steps.push(await take(60_060, 1)); // 9: one more token refilled: admitted
  return steps;
}

/** Racing requests of `tokens` each: how many got through. */
async function race(store: RateLimitStore, now: number, tokens: number) {
  const buckets = rateLimitBuckets(rule({ id: 'race', target: '*', tokensPerMinute: 1000 }));
  const decisions = await Promise.all(Array.from({ length: 20 }, () => store.consume(buckets, { tokens, now })));
  return decisions.filter((decision) => decision.allowed).length;
}

describe('token limits: Redis and in-memory stores agree', () => {
  const stores = useRateLimitStores();

  it('reserves, refuses, refunds and charges overruns the same way, as the buckets prescribe', async () => {
    const start = Date.now() + 10_000;
    const [redisSteps, memorySteps] = [await replay(stores.fromRedis, start), await replay(stores.fromMemory, start)];
    expect(redisSteps).toEqual(memorySteps);
    const key = 'tpm:tokens-per-minute';
    expect(memorySteps[0]).toEqual({ allowed: true, requestsLeft: 99, tokens: { key, limit: 1000, remaining: 700, resetMs: 18_000 }, refusal: undefined });
    expect(memorySteps[1]).toMatchObject({ allowed: false, refusal: { key, requested: 800, used: 300, retryAfterMs: 6000 } });
    expect(memorySteps[2]).toMatchObject({ allowed: false, refusal: { key, requested: 1500, retryAfterMs: undefined } });
    expect(memorySteps[3]).toMatchObject({ allowed: true, tokens: { remaining: 0, resetMs: 60_000 } });
    expect(memorySteps[4]).toMatchObject({ allowed: false, refusal: { key, requested: 1, used: 1500, retryAfterMs: 501 * 60 } });
    expect(memorySteps[5]).toMatchObject({ allowed: true, tokens: { remaining: 0 } });
    expect(memorySteps[6]).toMatchObject({ allowed: false, refusal: { requested: 1001, retryAfterMs: undefined } });
    expect(memorySteps[7]).toMatchObject({ allowed: true, tokens: { remaining: 0, resetMs: 60_000 } });
    expect(memorySteps[8]).toMatchObject({ allowed: false, refusal: { key, used: 1000, retryAfterMs: 60 } });
    expect(memorySteps[9]).toMatchObject({ allowed: true, tokens: { remaining: 0 } });
  });

  it('admits exactly what the token bucket holds under racing requests', async () => {
    const now = Date.now() + 200_000;
    expect(await race(stores.fromRedis, now, 100)).toBe(10);
    expect(await race(stores.fromMemory, now, 100)).toBe(10);
  });

  it('keeps a token bucket in debt until it is repaid, then lets its state expire', async () => {
    const buckets = rateLimitBuckets(rule({ id: 'debt', target: '*', tokensPerSecond: 100 }));
    const now = Date.now();
    await stores.fromRedis.consume(buckets, { tokens: 100, now });
    await stores.fromRedis.settle(buckets, -100, now);
    const ttl = await stores.redis.pttl(`${stores.prefix}:rl:debt:tokens-per-second`);
    // 200 tokens to refill at 100 per second, kept one second more.
    expect(ttl).toBeGreaterThan(2000);
    expect(ttl).toBeLessThanOrEqual(3000);
  });
});
