import { randomBytes } from 'node:crypto';
import type { RateLimit, RateLimit__Output } from '@ailb/proto';
import { formatRateLimitTarget, parseRateLimitRule, parseRateLimitTarget, RATE_LIMIT_FILE_KEYS, type RateLimitRule, type RateLimitRuleInput } from '@ailb/shared';
import { status } from '@grpc/grpc-js';
import { checkClusterWideInstance } from './instance-scope.js';
import { fromStore, invalidArgument, notFound, RpcFailure, type RpcGroupFactory } from './rpc.js';

/*
 * GetRateLimits, SetRateLimit, RemoveRateLimit: the deployment's rate-limit rules (app.rateLimits),
 * cluster-wide — a rule set through any gateway is stored once and applied by every gateway within a
 * second — so `instance_id` selects nothing: empty, this gateway or any live instance is accepted.
 */

/** The `RateLimit` field of each rule field, for messages naming the bad field: the YAML's names but the id. */
const PROTO_FIELDS: Record<keyof RateLimitRuleInput, string> = { ...RATE_LIMIT_FILE_KEYS, id: 'limit_id' };

/** A new rule's id when the caller gives none. */
const generatedId = () => `rl-${randomBytes(6).toString('hex')}`;

/** A decoded int64 (a decimal string, `--longs=String`) as a number; out-of-range values fail validation. */
const count = (value: string): number => Number(value);

/** The rule a `RateLimit` message describes, or INVALID_ARGUMENT naming `limit.<field>`. */
export function ruleFromProto(limit: RateLimit__Output, id: string): RateLimitRule {
  const parsed = parseRateLimitRule({
    id,
    target: limit.target,
    perSecond: count(limit.requests_per_second),
    perMinute: count(limit.requests_per_minute),
    perHour: count(limit.requests_per_hour),
    burst: count(limit.burst_size),
    enabled: limit.enabled,
    metadata: limit.metadata,
  } satisfies RateLimitRuleInput);
  if ('rule' in parsed) return parsed.rule;
  const [first] = parsed.issues;
  const field = first?.field ? `limit.${PROTO_FIELDS[first.field]}` : 'limit';
  const others = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more: ${parsed.issues.slice(1).map((issue) => `${issue.field ? `limit.${PROTO_FIELDS[issue.field]}` : 'limit'}: ${issue.message}`).join('; ')})` : '';
  throw invalidArgument(field, `${first?.message ?? 'invalid'}${others}`);
}

/** A rule as MarchProxy's `RateLimit` message. */
export function ruleToProto(rule: RateLimitRule): RateLimit {
  return {
    limit_id: rule.id,
    target: rule.target,
    requests_per_second: String(rule.perSecond),
    requests_per_minute: String(rule.perMinute),
    requests_per_hour: String(rule.perHour),
    burst_size: String(rule.burst),
    enabled: rule.enabled,
    metadata: rule.metadata,
  };
}

/** The canonical form of a `target` filter, or INVALID_ARGUMENT. */
function targetFilter(value: string): string | undefined {
  if (value === '') return undefined;
  const parsed = parseRateLimitTarget(value);
  if ('error' in parsed) throw invalidArgument('target', parsed.error);
  return formatRateLimitTarget(parsed.target);
}

/** What a store failure names (UNAVAILABLE); the store's own error goes only to the log. */
const STORE = 'the rate-limit store (Redis in split mode)';

/** The rate-limit methods of the ModuleService. */
export const rateLimitRpcs: RpcGroupFactory = (app) => ({
  async GetRateLimits(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const target = targetFilter(request.target);
    const limits = (await fromStore(STORE, () => app.rateLimits.list(target), app.log)).map(ruleToProto);
    return { limits, total_limits: limits.length };
  },

  async SetRateLimit(request) {
    await checkClusterWideInstance(app, request.instance_id);
    if (request.limit === null) throw invalidArgument('limit', 'required: the RateLimit to set');
    const generated = request.limit.limit_id === '';
    const rule = ruleFromProto(request.limit, generated ? generatedId() : request.limit.limit_id);
    const { created, overridesConfig } = await fromStore(STORE, () => app.rateLimits.set(rule), app.log);
    const notes = [
      generated ? 'limit_id was empty, so this id was generated' : '',
      overridesConfig ? 'it overrides the config-file rule of that id until removed' : '',
      rule.enabled ? '' : 'it is disabled (enabled=false) and counts nothing until enabled',
    ].filter(Boolean);
    const message = `Rate limit "${rule.id}" ${created ? 'created' : 'updated'} (target ${rule.target}); every gateway applies it within a second${notes.length > 0 ? `; ${notes.join('; ')}` : ''}.`;
    return { success: true, message };
  },

  async RemoveRateLimit(request) {
    await checkClusterWideInstance(app, request.instance_id);
    if (request.limit_id === '') throw invalidArgument('limit_id', 'required: the id of the rate limit to remove');
    const id = request.limit_id;
    switch (await fromStore(STORE, () => app.rateLimits.remove(id), app.log)) {
      case 'removed':
        return { success: true, message: `Rate limit "${id}" removed; every gateway stops applying it within a second.` };
      case 'config-restored':
        return { success: true, message: `The control-plane override of rate limit "${id}" was removed; the config-file rule "${id}" applies again.` };
      case 'config-only':
        throw new RpcFailure(
          status.FAILED_PRECONDITION,
          `Rate limit "${id}" is defined in the config file (rate_limits:); remove it there and reload, or override it with SetRateLimit (for example enabled=false).`,
        );
      case 'not-found':
        throw notFound(`No rate limit with limit_id "${id}".`);
    }
  },
});
