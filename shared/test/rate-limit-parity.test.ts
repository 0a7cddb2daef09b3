import { describe, expect, it } from 'vitest';
import { rateLimitBuckets, type RateLimitBucket, type RateLimitDecision, type RateLimitStore } from '../src/index.js';
import { rule, useRateLimitStores } from './support/rate-limit-stores.js';

/*
 * The Redis store (one Lua script per request) and the in-memory store of the embedded default must
 * decide every request the same way, replayed one at a time or racing each other, and keep the same
 * rules.
 */
const bursty = rule({ id: 'bursty', target: '*', perSecond: 2, burst: 1, perMinute: 5 });
const hourly = rule({ id: 'hourly', target: 'ip:10.0.0.7', perHour: 3 });

/** A decision without the bucket object, for comparing and reading. */
const summary = (decision: RateLimitDecision) => ({
  allowed: decision.allowed,
  bucket: (decision.refusal?.bucket ?? decision.requests!.bucket).key,
  limit: decision.requests!.limit,
  remaining: decision.requests!.remaining,
  resetMs: decision.requests!.resetMs,
  retryAfterMs: decision.refusal ? decision.refusal.retryAfterMs : 0,
});

/** Requests at offsets (ms) from a start time near now, so the stores' key expiry never interferes. */
async function replay(store: RateLimitStore, start: number) {
  const both = [...rateLimitBuckets(bursty), ...rateLimitBuckets(hourly)];
  const steps: Array<[number, RateLimitBucket[]]> = [
    [0, rateLimitBuckets(bursty)],
    [0, rateLimitBuckets(bursty)],
    [0, rateLimitBuckets(bursty)],
    [0, rateLimitBuckets(bursty)], // the per-second bucket (2/s + burst 1) is empty
    [500, rateLimitBuckets(bursty)], // half a second refilled one token
    [1500, rateLimitBuckets(bursty)],
    [1600, rateLimitBuckets(bursty)], // the per-minute bucket is empty
    [1600, both],
    [2000, rateLimitBuckets(hourly)],
    [2000, rateLimitBuckets(hourly)],
    [2000, both], // refused by two buckets: the longer wait binds, and nothing is counted
    [2000, rateLimitBuckets(hourly)],
    [1000, rateLimitBuckets(hourly)], // a gateway whose clock runs behind adds nothing
  ];
  const decisions = [];
  for (const [offset, buckets] of steps) decisions.push(summary(await store.consume(buckets, { now: start + offset })));
  return decisions;
}

/** Racing requests: how many of each group got through. */
async function race(store: RateLimitStore, now: number) {
  const narrow = rule({ id: 'narrow', target: 'model:m', perMinute: 4 });
  const wide = rule({ id: 'wide', target: '*', perMinute: 10 });
  const capped = rule({ id: 'capped', target: '*', perSecond: 7 });
  const count = async (requests: Array<Promise<RateLimitDecision>>) => (await Promise.all(requests)).filter((decision) => decision.allowed).length;
  const cappedAdmitted = await count(Array.from({ length: 40 }, () => store.consume(rateLimitBuckets(capped), { now })));
  // Requests refused by `narrow` must not use up `wide`: 4 pass both, then exactly 6 more pass `wide`.
  const bothAdmitted = await count(Array.from({ length: 20 }, () => store.consume([...rateLimitBuckets(wide), ...rateLimitBuckets(narrow)], { now })));
  const wideAdmitted = await count(Array.from({ length: 20 }, () => store.consume(rateLimitBuckets(wide), { now })));
  return { cappedAdmitted, bothAdmitted, wideAdmitted };
}

describe('rate limits: Redis and in-memory stores agree', () => {
  const stores = useRateLimitStores();

  it('decides the same sequence of requests the same way, as the token buckets prescribe', async () => {
    const start = Date.now();
    const [redisDecisions, memoryDecisions] = [await replay(stores.fromRedis, start), await replay(stores.fromMemory, start)];
    expect(redisDecisions).toEqual(memoryDecisions);
    // Hand-computed: 2/s + burst 1 holds 3 tokens and refills one every 500 ms; 5/min one per 12 s.
    expect(memoryDecisions.slice(0, 4)).toEqual([
      { allowed: true, bucket: 'bursty:second', limit: 3, remaining: 2, resetMs: 500, retryAfterMs: 0 },
      { allowed: true, bucket: 'bursty:second', limit: 3, remaining: 1, resetMs: 1000, retryAfterMs: 0 },
      { allowed: true, bucket: 'bursty:second', limit: 3, remaining: 0, resetMs: 1500, retryAfterMs: 0 },
      { allowed: false, bucket: 'bursty:second', limit: 3, remaining: 0, resetMs: 1500, retryAfterMs: 500 },
    ]);
    expect(memoryDecisions[4]).toMatchObject({ allowed: true, bucket: 'bursty:second', remaining: 0 });
    // 5 per minute used up: the next token is 12 s away less what 1.6 s refilled.
    expect(memoryDecisions[5]).toMatchObject({ allowed: true, bucket: 'bursty:minute', limit: 5, remaining: 0, resetMs: 58_500 });
    expect(memoryDecisions[6]).toMatchObject({ allowed: false, bucket: 'bursty:minute', retryAfterMs: 10_400 });
    expect(memoryDecisions[7]).toMatchObject({ allowed: false, bucket: 'bursty:minute' });
    // The hourly bucket was untouched by the refused request that named it too.
    expect(memoryDecisions.slice(8, 10).map((decision) => decision.remaining)).toEqual([2, 1]);
    expect(memoryDecisions[10]).toMatchObject({ allowed: false, bucket: 'bursty:minute', retryAfterMs: 10_000 });
    expect(memoryDecisions[11]).toMatchObject({ allowed: true, bucket: 'hourly:hour', limit: 3, remaining: 0, resetMs: 3_600_000 });
    expect(memoryDecisions[12]).toMatchObject({ allowed: false, bucket: 'hourly:hour', retryAfterMs: 1_200_000 });
  });

  it('admits exactly what the buckets hold under racing requests, and a refusal counts nowhere', async () => {
    const now = Date.now() + 100_000;
    expect(await race(stores.fromRedis, now)).toEqual({ cappedAdmitted: 7, bothAdmitted: 4, wideAdmitted: 6 });
    expect(await race(stores.fromMemory, now)).toEqual({ cappedAdmitted: 7, bothAdmitted: 4, wideAdmitted: 6 });
  });

  it('lets bucket state expire once the bucket would be full again', async () => {
    const quick = rule({ id: 'quick', target: '*', perSecond: 1000 });
    await stores.fromRedis.consume(rateLimitBuckets(quick));
    const ttl = await stores.redis.pttl(`${stores.prefix}:rl:quick:second`);
    // Full again after 1 ms, kept one second more for safety.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1001);
  });

  it('keeps, filters, replaces and removes rules the same way', async () => {
    const results = [];
    for (const store of [stores.fromRedis, stores.fromMemory] as RateLimitStore[]) {
      await store.set(bursty);
      await store.set(hourly);
      await store.set({ ...bursty, perMinute: 50, metadata: { source: 'grpc', owner: 'ops' } });
      const listed = await store.list();
      const filtered = await store.list('ip:10.0.0.7');
      const fetched = await store.get('bursty');
      const removed = [await store.remove('hourly'), await store.remove('hourly'), await store.get('hourly')];
      results.push({ listed, filtered, fetched, removed, after: await store.list() });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[1]!.listed.map((entry) => entry.id)).toEqual(['bursty', 'hourly']);
    expect(results[1]!.filtered).toEqual([hourly]);
    expect(results[1]!.fetched).toMatchObject({ perMinute: 50, metadata: { owner: 'ops' } });
    expect(results[1]!.removed).toEqual([true, false, undefined]);
  });

  it('skips a stored rule it cannot read instead of failing the listing', async () => {
    await stores.redis.hset(`${stores.prefix}:rate-limits`, 'broken', '{"id":"broken","target":"nowhere"}');
    expect((await stores.fromRedis.list()).map((entry) => entry.id)).toEqual(['bursty']);
    await stores.redis.hdel(`${stores.prefix}:rate-limits`, 'broken');
  });
});
