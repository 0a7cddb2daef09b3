import type { RateLimitBucket, RateLimitDecision, RateLimitStore } from '../../contracts/control-plane/rate-limit-store.js';
import type { RateLimitRule } from '../../contracts/control-plane/rate-limits.js';
import { keepStateMs, takeTokens, type TokenBucketState } from '../../contracts/control-plane/token-bucket.js';

/**
 * Rate limits of the embedded default: rules and buckets in this process, which is the whole
 * deployment. `consume` runs to completion without awaiting, so concurrent requests cannot
 * interleave inside it (the Redis store gets the same guarantee from its Lua script).
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  private readonly rules = new Map<string, RateLimitRule>();
  /** Bucket states with the time they can be forgotten (the bucket is full again by then). */
  private readonly buckets = new Map<string, TokenBucketState & { expiresAt: number }>();

  async list(target?: string): Promise<RateLimitRule[]> {
    return [...this.rules.values()]
      .filter((rule) => target === undefined || rule.target === target)
      .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
      .map((rule) => structuredClone(rule));
  }

  async get(id: string): Promise<RateLimitRule | undefined> {
    const rule = this.rules.get(id);
    return rule && structuredClone(rule);
  }

  async set(rule: RateLimitRule): Promise<void> {
    this.rules.set(rule.id, structuredClone(rule));
  }

  async remove(id: string): Promise<boolean> {
    return this.rules.delete(id);
  }

  async consume(buckets: readonly RateLimitBucket[], now = Date.now()): Promise<RateLimitDecision> {
    const clock = Date.now();
    const states = buckets.map((bucket) => {
      const state = this.buckets.get(bucket.key);
      if (state === undefined || state.expiresAt > clock) return state;
      this.buckets.delete(bucket.key);
      return undefined;
    });
    const { decision, next } = takeTokens(states, buckets, now);
    next?.forEach((state, index) => {
      const bucket = buckets[index]!;
      this.buckets.set(bucket.key, { ...state, expiresAt: clock + keepStateMs(state.units, bucket) });
    });
    return decision;
  }
}
