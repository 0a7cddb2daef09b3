import type { RateLimitBucket, RateLimitConsumeOptions, RateLimitDecision, RateLimitStore } from '../../contracts/control-plane/rate-limit-store.js';
import type { RateLimitRule } from '../../contracts/control-plane/rate-limits.js';
import { decide, fullUnits, keepStateMs, settleTokens, takeTokens, type TokenBucketState } from '../../contracts/control-plane/token-bucket.js';

/**
 * Rate limits of the embedded default: rules and buckets in this process, which is the whole
 * deployment. `consume` and `settle` run to completion without awaiting, so concurrent requests
 * cannot interleave inside them (the Redis store gets the same guarantee from its Lua scripts).
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

  async consume(buckets: readonly RateLimitBucket[], options: RateLimitConsumeOptions = {}): Promise<RateLimitDecision> {
    const { tokens = 0, now = Date.now() } = options;
    const { outcome, next } = takeTokens(this.states(buckets), buckets, tokens, now);
    next?.forEach((state, index) => this.write(buckets[index]!, state));
    return decide(buckets, tokens, outcome, now);
  }

  async settle(buckets: readonly RateLimitBucket[], tokens: number, now = Date.now()): Promise<void> {
    settleTokens(this.states(buckets), buckets, tokens, now).forEach((state, index) => this.write(buckets[index]!, state));
  }

  /** The live states of `buckets` (undefined: full), forgetting expired ones. */
  private states(buckets: readonly RateLimitBucket[]): Array<TokenBucketState | undefined> {
    const clock = Date.now();
    return buckets.map((bucket) => {
      const state = this.buckets.get(bucket.key);
      if (state === undefined || state.expiresAt > clock) return state;
      this.buckets.delete(bucket.key);
      return undefined;
    });
  }

  /** Keeps a bucket's state until it would be full again; a full bucket is simply forgotten. */
  private write(bucket: RateLimitBucket, state: TokenBucketState): void {
    if (state.units >= fullUnits(bucket)) this.buckets.delete(bucket.key);
    else this.buckets.set(bucket.key, { ...state, expiresAt: Date.now() + keepStateMs(state.units, bucket) });
  }
}
