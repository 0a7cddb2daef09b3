import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { parseRateLimitRule, type RateLimitRule, type RateLimitRuleInput } from '../../src/index.js';
import { InMemoryRateLimitStore, RedisRateLimitStore } from '../../src/runtime/index.js';

/** A valid rule from its input, or the test fails at once. */
export const rule = (input: RateLimitRuleInput): RateLimitRule => {
  const parsed = parseRateLimitRule(input);
  if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
  return parsed.rule;
};

/** Both rate-limit stores for a parity suite: Redis under a random prefix (removed afterwards) and memory. */
export interface RateLimitStoresUnderTest {
  prefix: string;
  redis: Redis;
  fromRedis: RedisRateLimitStore;
  fromMemory: InMemoryRateLimitStore;
}

/** Registers the suite's set-up and clean-up; the fields are filled before its first test runs. */
export function useRateLimitStores(): RateLimitStoresUnderTest {
  const stores = { prefix: randomPrefix() } as RateLimitStoresUnderTest;
  beforeAll(() => {
    stores.redis = new Redis(REDIS_URL);
    stores.fromRedis = new RedisRateLimitStore(stores.redis, stores.prefix);
    stores.fromMemory = new InMemoryRateLimitStore();
  });
  afterAll(async () => {
    await stores.redis.quit();
    await deletePrefix(stores.prefix);
  });
  return stores;
}
