import { isIP } from 'node:net';
import { z } from 'zod';

/*
 * Rate-limit rules: which requests a rule counts (`target`) and how many requests and tokens it admits
 * per second, minute, hour and day. The one rate-limit mechanism of AILB: rules come from the config file (`rate_limits:`) and
 * from the control plane (ModuleService `SetRateLimit`), and every gateway enforces them together
 * through one atomic operation per request on the shared state (see rate-limit-store.ts).
 */

/** The most a window may admit (requests or tokens); keeps the token-bucket arithmetic in exact integers (see token-bucket.ts). */
export const MAX_RATE_LIMIT = 1_000_000_000;

/** Which requests a rule counts. */
export type RateLimitTarget =
  | { kind: 'all' }
  | { kind: 'model'; model: string }
  | { kind: 'ip'; address: string }
  /** Requests made with the API key of this id. */
  | { kind: 'key'; keyId: string }
  /** Requests made with any API key of this tenant (without keys, every request is tenant `default`). */
  | { kind: 'tenant'; tenant: string };

/** What a `key:` or `tenant:` target may name (the alphabet of key ids and tenants). */
const PRINCIPAL_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const TARGET_FORMS = '"*", "model:<public model>", "ip:<client address>", "key:<API key id>" or "tenant:<tenant>"';

/**
 * The canonical form of a client address: IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a dual-stack
 * socket reports) becomes plain IPv4 and IPv6 is compressed and lower-cased, so a rule written either
 * way matches what Fastify's `request.ip` reports. Undefined when `value` is not an IP address.
 */
export function canonicalAddress(value: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) return isIP(mapped[1]!) === 4 ? mapped[1] : undefined;
  const kind = isIP(value);
  if (kind === 4) return value;
  if (kind !== 6) return undefined;
  const compressed = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const remapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (!remapped) return compressed;
  // The URL parser writes ::ffff:a.b.c.d as hex groups; turn it back into the IPv4 address.
  const high = Number.parseInt(remapped[1]!, 16);
  const low = Number.parseInt(remapped[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Reads a target string; the error says what is wrong (for a message naming the field). */
export function parseRateLimitTarget(value: string): { target: RateLimitTarget } | { error: string } {
  if (value === '*') return { target: { kind: 'all' } };
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  if (kind === 'key' || kind === 'tenant') {
    if (!PRINCIPAL_PATTERN.test(rest)) return { error: `a "${kind}:" target names ${kind === 'key' ? 'an API key id' : 'a tenant'}: 1-64 letters, digits, ".", "_" or "-"` };
    return { target: kind === 'key' ? { kind, keyId: rest } : { kind, tenant: rest } };
  }
  if (kind === 'model') {
    return rest.trim() === '' || rest !== rest.trim() ? { error: 'a "model:" target names a public model, e.g. "model:gpt-4o"' } : { target: { kind: 'model', model: rest } };
  }
  if (kind === 'ip') {
    const address = canonicalAddress(rest);
    return address === undefined ? { error: `"${rest}" is not an IPv4 or IPv6 address (ranges are not supported)` } : { target: { kind: 'ip', address } };
  }
  return { error: `"${value}" is not a target; use ${TARGET_FORMS}` };
}

/** The canonical string of a target (`*`, `model:<name>`, `ip:<address>`). */
export function formatRateLimitTarget(target: RateLimitTarget): string {
  switch (target.kind) {
    case 'all':
      return '*';
    case 'model':
      return `model:${target.model}`;
    case 'ip':
      return `ip:${target.address}`;
    case 'key':
      return `key:${target.keyId}`;
    case 'tenant':
      return `tenant:${target.tenant}`;
  }
}

// Messages do not name the field: the YAML and gRPC callers prefix it in their own spelling.
const windowLimit = () =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (no limit) or more')
    .max(MAX_RATE_LIMIT, `must be at most ${MAX_RATE_LIMIT}`);

/** Letters, digits and `._:-`: ids are Redis key parts and gRPC strings. */
export const RATE_LIMIT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One rate-limit rule. Each window with a limit above 0 is a token bucket (token-bucket.ts): a
 * window of `perMinute: 60` admits 60 requests at once and then one more every second as the bucket
 * refills. `burst` enlarges only the per-second request bucket: `perSecond: 10, burst: 5` admits 15
 * at once and 10 per second sustained. Token limits (`tokensPerMinute` …) are buckets of model tokens:
 * a chat request reserves its estimate from them and settles to the provider's reported usage; other
 * requests are counted by the request limits only.
 */
export const rateLimitRuleSchema = z
  .strictObject({
    /** Unique id; a control-plane rule with the id of a config-file rule overrides it. */
    id: z.string().regex(RATE_LIMIT_ID_PATTERN, 'must be 1-128 letters, digits, ".", "_", ":" or "-"'),
    /** `*` (all traffic), `model:<public model>`, `ip:<client address>`, `key:<API key id>` or `tenant:<tenant>`; stored canonical. */
    target: z.string().transform((value, context) => {
      const parsed = parseRateLimitTarget(value);
      if ('error' in parsed) {
        context.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return formatRateLimitTarget(parsed.target);
    }),
    /** Requests per second (sustained rate of the per-second bucket); 0 = no per-second limit. @defaultValue 0 */
    perSecond: windowLimit().default(0),
    /** Requests per minute; 0 = no per-minute limit. @defaultValue 0 */
    perMinute: windowLimit().default(0),
    /** Requests per hour; 0 = no per-hour limit. @defaultValue 0 */
    perHour: windowLimit().default(0),
    /** Requests per day (24 h, refilled continuously, not at midnight); 0 = no per-day limit. @defaultValue 0 */
    perDay: windowLimit().default(0),
    /** Model tokens (prompt + completion) per second; 0 = no limit. @defaultValue 0 */
    tokensPerSecond: windowLimit().default(0),
    /** Model tokens per minute (OpenAI's TPM); 0 = no limit. @defaultValue 0 */
    tokensPerMinute: windowLimit().default(0),
    /** Model tokens per hour; 0 = no limit. @defaultValue 0 */
    tokensPerHour: windowLimit().default(0),
    /** Model tokens per day (OpenAI's TPD); 0 = no limit. @defaultValue 0 */
    tokensPerDay: windowLimit().default(0),
    /** Requests admitted at once on top of `perSecond` (needs `perSecond` > 0). @defaultValue 0 */
    burst: windowLimit().default(0),
    /** A disabled rule is listed but counts nothing. @defaultValue true */
    enabled: z.boolean().default(true),
    /** Free-form labels; `source` tells where the rule comes from (`config` or `grpc`). @defaultValue {} */
    metadata: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((rule, context) => {
    const limits = [rule.perSecond, rule.perMinute, rule.perHour, rule.perDay, rule.tokensPerSecond, rule.tokensPerMinute, rule.tokensPerHour, rule.tokensPerDay];
    if (limits.every((limit) => limit === 0)) {
      context.addIssue({ code: 'custom', path: ['perSecond'], message: 'at least one of the limits (requests or tokens per second, minute, hour or day) must be above 0' });
    }
    if (rule.burst > 0 && rule.perSecond === 0) {
      context.addIssue({ code: 'custom', path: ['burst'], message: 'the burst is added to the per-second limit, so it needs a per-second limit above 0' });
    }
  });

/** A validated rule (target canonical, defaults applied). */
export type RateLimitRule = z.output<typeof rateLimitRuleSchema>;
/** A rule as written, before validation and defaults. */
export type RateLimitRuleInput = z.input<typeof rateLimitRuleSchema>;

/** Where a rule comes from, in `metadata.source`. */
export type RateLimitSource = 'config' | 'grpc' | 'key';

/** A problem with a rule, naming the rule field (`perMinute`, `target` …) for the caller to translate. */
export interface RateLimitRuleIssue {
  field: keyof RateLimitRuleInput | '';
  message: string;
}

/** Validates a rule; every problem is returned with the field it concerns. */
export function parseRateLimitRule(input: unknown): { rule: RateLimitRule } | { issues: RateLimitRuleIssue[] } {
  const parsed = rateLimitRuleSchema.safeParse(input);
  if (parsed.success) return { rule: parsed.data };
  return {
    issues: parsed.error.issues.map((issue) => {
      const first = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
      return { field: (typeof first === 'string' ? first : '') as RateLimitRuleIssue['field'], message: issue.message };
    }),
  };
}
