import type { Redis } from 'ioredis';
import type { RateLimitBucket, RateLimitConsumeOptions, RateLimitDecision, RateLimitStore } from '../../contracts/control-plane/rate-limit-store.js';
import { rateLimitRuleSchema, type RateLimitRule } from '../../contracts/control-plane/rate-limits.js';
import { decide } from '../../contracts/control-plane/token-bucket.js';
import { SETTLE_TOKENS, TAKE_TOKENS } from './rate-limit-script.js';

/** Redis names of rate limiting under a key prefix. */
export const rateLimitNames = (prefix: string) => ({
  /** Hash: rule id → JSON of a rule set through the control plane. */
  rules: `${prefix}:rate-limits`,
  /** Hash per token bucket (`<rule id>:<window>`, `<rule id>:tokens-per-<window>`); expires once the bucket would be full again. */
  bucket: (key: string) => `${prefix}:rl:${key}`,
});

type ScriptedRedis = Redis & {
  ailbTakeTokens(...keysThenArgs: Array<string | number>): Promise<number[]>;
  ailbSettleTokens(...keysThenArgs: Array<string | number>): Promise<number>;
};

const RULE_FIELDS = ['id', 'target', 'perSecond', 'perMinute', 'perHour', 'perDay', 'burst', 'tokensPerSecond', 'tokensPerMinute', 'tokensPerHour', 'tokensPerDay', 'enabled', 'metadata'] as const;

/**
 * A stored rule, or undefined when the entry cannot be read (written by hand, or by a version with
 * other rules): such an entry is left out rather than failing every listing. Fields a newer version
 * added are ignored.
 */
function readRule(json: string): RateLimitRule | undefined {
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const parsed = rateLimitRuleSchema.safeParse(Object.fromEntries(RULE_FIELDS.filter((field) => field in raw).map((field) => [field, raw[field]])));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rate limits in Redis, shared by every gateway: rules in one hash (the gateway caches them and
 * re-reads on the `rate-limits` topic), buckets in one small hash each, consumed by one script per
 * request and settled by another once a chat request's usage is known (EVALSHA; ioredis falls back to
 * EVAL once after a SCRIPT FLUSH or restart).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly names: ReturnType<typeof rateLimitNames>;
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, prefix: string) {
    this.names = rateLimitNames(prefix);
    redis.defineCommand('ailbTakeTokens', { lua: TAKE_TOKENS });
    redis.defineCommand('ailbSettleTokens', { lua: SETTLE_TOKENS });
    this.redis = redis as ScriptedRedis;
  }

  async list(target?: string): Promise<RateLimitRule[]> {
    const entries = await this.redis.hgetall(this.names.rules);
    return Object.values(entries)
      .map(readRule)
      .filter((rule): rule is RateLimitRule => rule !== undefined && (target === undefined || rule.target === target))
      .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  async get(id: string): Promise<RateLimitRule | undefined> {
    const json = await this.redis.hget(this.names.rules, id);
    return json === null ? undefined : readRule(json);
  }

  async set(rule: RateLimitRule): Promise<void> {
    await this.redis.hset(this.names.rules, rule.id, JSON.stringify(rule));
  }

  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.names.rules, id)) === 1;
  }

  async consume(buckets: readonly RateLimitBucket[], options: RateLimitConsumeOptions = {}): Promise<RateLimitDecision> {
    if (buckets.length === 0) throw new Error('consume: no buckets');
    const { tokens = 0, now = Date.now() } = options;
    const args: Array<string | number> = [buckets.length, ...buckets.map((bucket) => this.names.bucket(bucket.key)), now, tokens];
    for (const bucket of buckets) args.push(bucket.limit, bucket.windowMs, bucket.tickMs, bucket.capacity, bucket.unit === 'requests' ? 'r' : 't');
    const [refused, waitMs, ...levels] = await this.redis.ailbTakeTokens(...args);
    return decide(buckets, tokens, { refused: refused! - 1, waitMs: waitMs!, levels }, now);
  }

  async settle(buckets: readonly RateLimitBucket[], tokens: number, now = Date.now()): Promise<void> {
    if (buckets.length === 0) return;
    const args: Array<string | number> = [buckets.length, ...buckets.map((bucket) => this.names.bucket(bucket.key)), now, tokens];
    for (const bucket of buckets) args.push(bucket.limit, bucket.windowMs, bucket.tickMs, bucket.capacity);
    await this.redis.ailbSettleTokens(...args);
  }
}
