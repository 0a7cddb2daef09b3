import { canonicalAddress, parseRateLimitTarget, rateLimitBuckets, type RateLimitBucket, type RateLimitRule } from '@ailb/shared';

const NONE: readonly RateLimitBucket[] = Object.freeze([]);

/**
 * The enabled rules of this gateway, indexed by what a request can match: everything (`*`), its
 * model, its client address, its API key and its tenant. Built once per rule change, so matching a request is a few map
 * look-ups and, with no rule at all, a single property read.
 */
export class RuleIndex {
  /** True when no enabled rule exists: requests skip rate limiting entirely. */
  readonly empty: boolean;
  /** True when some enabled rule limits tokens: only then may a request need a token estimate. */
  readonly tokens: boolean;
  private readonly all: RateLimitBucket[] = [];
  private readonly byModel = new Map<string, RateLimitBucket[]>();
  private readonly byAddress = new Map<string, RateLimitBucket[]>();
  private readonly byKey = new Map<string, RateLimitBucket[]>();
  private readonly byTenant = new Map<string, RateLimitBucket[]>();

  constructor(rules: readonly RateLimitRule[]) {
    let tokens = false;
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const parsed = parseRateLimitTarget(rule.target);
      // Rules were validated when stored; one that no longer parses (a newer version's) is skipped.
      if ('error' in parsed) continue;
      const buckets = rateLimitBuckets(rule);
      tokens ||= buckets.some((bucket) => bucket.unit === 'tokens');
      const { target } = parsed;
      if (target.kind === 'all') this.all.push(...buckets);
      else if (target.kind === 'model') push(this.byModel, target.model, buckets);
      else if (target.kind === 'ip') push(this.byAddress, target.address, buckets);
      else if (target.kind === 'key') push(this.byKey, target.keyId, buckets);
      else push(this.byTenant, target.tenant, buckets);
    }
    this.tokens = tokens;
    this.empty = this.all.length === 0 && this.byModel.size === 0 && this.byAddress.size === 0 && this.byKey.size === 0 && this.byTenant.size === 0;
  }

  /**
   * The buckets a request takes from (everything's first, then its model's, its address's,
   * its key's and its tenant's). `keyId` is absent for a request made without an API key.
   */
  bucketsFor(clientAddress: string, model: string | undefined, keyId?: string, tenant?: string): readonly RateLimitBucket[] {
    if (this.empty) return NONE;
    const forModel = model === undefined || this.byModel.size === 0 ? undefined : this.byModel.get(model);
    const forAddress = this.byAddress.size === 0 ? undefined : this.addressBuckets(clientAddress);
    const forKey = keyId === undefined || this.byKey.size === 0 ? undefined : this.byKey.get(keyId);
    const forTenant = tenant === undefined || this.byTenant.size === 0 ? undefined : this.byTenant.get(tenant);
    if (forModel === undefined && forAddress === undefined && forKey === undefined && forTenant === undefined) return this.all;
    return [...this.all, ...(forModel ?? []), ...(forAddress ?? []), ...(forKey ?? []), ...(forTenant ?? [])];
  }

  private addressBuckets(clientAddress: string): RateLimitBucket[] | undefined {
    const direct = this.byAddress.get(clientAddress);
    if (direct !== undefined) return direct;
    // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; rules are stored canonical.
    if (!clientAddress.includes(':')) return undefined;
    const canonical = canonicalAddress(clientAddress);
    return canonical === undefined ? undefined : this.byAddress.get(canonical);
  }
}

function push(index: Map<string, RateLimitBucket[]>, key: string, buckets: RateLimitBucket[]): void {
  const existing = index.get(key);
  if (existing) existing.push(...buckets);
  else index.set(key, [...buckets]);
}
