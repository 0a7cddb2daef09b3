import type { Route as ProtoRoute, Route__Output } from '@ailb/proto';
import { routeConfigSchema, type RouteConfig, type RouteOverride, type RoutingStrategy } from '@ailb/shared';
import { sameJson } from '@ailb/shared/runtime';
import type { Route } from '../routing/route-table.js';

/*
 * AILB's routes as MarchProxy `Route` messages, and back. One Route per public model name: `route_id`
 * is the name, `protocol` PROTOCOL_HTTP, `path_pattern` the chat completions path, and `metadata`
 * carries the YAML route: `model`, `strategy`, `targets` and `fallbacks` (JSON arrays, as the YAML's
 * `routes[]` entries), `context_fallback`, and `source` (`config`, `grpc` or `default`).
 */

/** The one path AILB selects a route for by model name. */
export const CHAT_PATH = '/v1/chat/completions';

/** Protocols a model route can be reached over (AILB's HTTP API; TLS and HTTP/2 in front of it are the NLB's). */
export const HTTP_PROTOCOLS = new Set(['PROTOCOL_UNSPECIFIED', 'PROTOCOL_HTTP', 'PROTOCOL_HTTPS', 'PROTOCOL_HTTP2']);

/** Metadata keys UpdateRoutes reads; `source` is what GetRoutes reports and is ignored on the way in. */
const ROUTE_METADATA_KEYS = new Set(['model', 'strategy', 'targets', 'fallbacks', 'context_fallback', 'source']);

/** A route as GetRoutes reports it; `strategy` is the route's effective one (its own, else `routing.strategy`). */
export function routeToProto(route: Route, defaultStrategy: RoutingStrategy): ProtoRoute {
  return {
    route_id: route.model,
    protocol: 'PROTOCOL_HTTP',
    path_pattern: CHAT_PATH,
    priority: route.priority,
    metadata: {
      model: route.model,
      strategy: route.strategy ?? defaultStrategy,
      targets: JSON.stringify(route.targets),
      fallbacks: JSON.stringify(route.fallbacks),
      ...(route.context_fallback === undefined ? {} : { context_fallback: route.context_fallback }),
      source: route.source,
    },
  };
}

/** A decoded UpdateRoutes route: an override with its route. */
export type DecodedRoute = RouteOverride & { route: RouteConfig };

/**
 * Reads `routes[index]` of an UpdateRoutes request with the rules of the YAML's `routes:` entries;
 * every problem names its field (`routes[0].metadata.targets[1].provider: …`).
 */
export function routeFromProto(message: Route__Output, index: number): { decoded: DecodedRoute } | { problems: string[] } {
  const key = `routes[${index}]`;
  const problems: string[] = [];
  if (!HTTP_PROTOCOLS.has(message.protocol)) problems.push(`${key}.protocol: AILB serves model routes over HTTP (PROTOCOL_HTTP, PROTOCOL_HTTPS or PROTOCOL_HTTP2), got ${message.protocol}`);
  if (message.path_pattern !== '' && message.path_pattern !== CHAT_PATH) problems.push(`${key}.path_pattern: AILB routes by model name on ${CHAT_PATH} only (leave it empty or set it to that), got "${message.path_pattern.length > 80 ? `${message.path_pattern.slice(0, 80)}…` : message.path_pattern}"`);
  const unsupported: Array<[string, boolean]> = [
    ['source_pattern', message.source_pattern !== ''],
    ['destination_pattern', message.destination_pattern !== ''],
    ['source_port', message.source_port !== 0],
    ['destination_port', message.destination_port !== 0],
    ['headers', Object.keys(message.headers).length > 0],
  ];
  for (const [field, set] of unsupported) if (set) problems.push(`${key}.${field}: not supported: AILB selects a route by its model name only (leave it unset)`);
  const metadata = message.metadata;
  for (const name of Object.keys(metadata)) {
    if (!ROUTE_METADATA_KEYS.has(name)) problems.push(`${key}.metadata.${name}: unknown key (AILB reads model, strategy, targets, fallbacks and context_fallback)`);
  }
  const model = metadata.model || message.route_id;
  if (!model) problems.push(`${key}.route_id: required: the public model name (or set metadata.model)`);
  else if (metadata.model && message.route_id && metadata.model !== message.route_id) problems.push(`${key}.metadata.model: must equal route_id ("${message.route_id}"), the public model name, or be left out`);
  const json = (name: 'targets' | 'fallbacks', fallback: unknown): unknown => {
    const text = metadata[name];
    if (text === undefined || text === '') {
      if (fallback === undefined) problems.push(`${key}.metadata.${name}: required: a JSON array of the YAML's routes[].${name} entries, e.g. [{"provider":"openai","model":"gpt-4o"}]`);
      return fallback;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      problems.push(`${key}.metadata.${name}: not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  };
  const targets = json('targets', undefined);
  const fallbacks = json('fallbacks', []);
  if (problems.length > 0) return { problems };
  const parsed = routeConfigSchema.safeParse({
    model,
    targets,
    fallbacks,
    ...(metadata.strategy ? { strategy: metadata.strategy } : {}),
    ...(metadata.context_fallback ? { context_fallback: metadata.context_fallback } : {}),
  });
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const [first, ...rest] = issue.path;
        const field = first === 'model' ? `${key}.route_id` : `${key}.metadata.${String(first ?? '')}${rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`;
        const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
        return `${first === undefined ? `${key}.metadata` : field}${keys}: ${issue.message}`;
      }),
    };
  }
  return { decoded: { model: parsed.data.model, route: parsed.data, priority: message.priority } };
}

/** Only what routes a request counts (not where the route came from, nor its reported priority). */
const routing = (route: RouteConfig, strategy: RoutingStrategy | undefined) => ({ model: route.model, strategy, targets: route.targets, fallbacks: route.fallbacks, context_fallback: route.context_fallback });

/** Whether two routes send the same requests the same way (a route without a strategy follows the default). */
export function sameRoute(left: RouteConfig, right: RouteConfig, defaultStrategy: RoutingStrategy): boolean {
  return sameJson(routing(left, left.strategy ?? defaultStrategy), routing(right, right.strategy ?? defaultStrategy));
}

/**
 * Whether `given` (decoded from UpdateRoutes) asks for nothing but what `stored` (an override) is.
 * GetRoutes lists a route stored without a strategy with the effective one, so a strategy equal to
 * the default counts as unset for such a route: sending the listing back must not pin the strategy.
 * A stored strategy is kept only when given again, though: a route sent without one follows the default.
 */
export function sameStoredRoute(stored: RouteConfig, given: RouteConfig, defaultStrategy: RoutingStrategy): boolean {
  const strategy = stored.strategy === undefined && given.strategy === defaultStrategy ? undefined : given.strategy;
  return sameJson(routing(stored, stored.strategy), routing(given, strategy));
}

/** Whether two lists of overrides route the same (an UpdateRoutes that changes nothing writes nothing). Order does not count. */
export function sameOverrides(left: readonly RouteOverride[], right: readonly RouteOverride[], defaultStrategy: RoutingStrategy): boolean {
  if (left.length !== right.length) return false;
  const byName = new Map(right.map((entry) => [entry.model, entry]));
  return left.every((entry) => {
    const other = byName.get(entry.model);
    if (!other || other.priority !== entry.priority || (other.route === undefined) !== (entry.route === undefined)) return false;
    return entry.route === undefined || sameStoredRoute(entry.route, other.route!, defaultStrategy);
  });
}

/** The longest `path_pattern` CanHandle reads; a pattern is matched in time linear in its length. */
export const MAX_PATH_PATTERN_LENGTH = 256;

/**
 * Whether a glob path pattern (`*`: any characters, also none) covers `path`. No RegExp and no
 * backtracking: the literal parts between the stars must appear in order, the first at the start and
 * the last at the end, and taking each middle part at its leftmost place is always a match when any is.
 */
export function patternCovers(pattern: string, path: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === path;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > path.length || !path.startsWith(first) || !path.endsWith(last)) return false;
  let position = first.length;
  const end = path.length - last.length;
  for (const part of parts.slice(1, -1)) {
    if (part === '') continue; // a run of stars is one star
    const found = path.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}
