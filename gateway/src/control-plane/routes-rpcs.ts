import { GatewayError, type RouteOverride } from '@ailb/shared';
import { status } from '@grpc/grpc-js';
import type { FastifyInstance } from 'fastify';
import { findLayerProblems, describeLayerProblem, layerRoutes, routesFallingBackTo } from '../routing/route-layers.js';
import { buildRouteTable, type Route } from '../routing/route-table.js';
import { checkClusterWideInstance } from './instance-scope.js';
import { CHAT_PATH, HTTP_PROTOCOLS, MAX_PATH_PATTERN_LENGTH, patternCovers, routeFromProto, routeToProto, sameOverrides, sameRoute, sameStoredRoute, type DecodedRoute } from './route-messages.js';
import { queryRoutes } from './route-query.js';
import { invalidArgument, notFound, RpcFailure, type RpcGroupFactory } from './rpc.js';

/*
 * GetRoutes, UpdateRoutes, DeleteRoute, CanHandle: the model routes of the routing layer, one Route
 * per public model name. Cluster-wide: a change is stored once for the deployment and every gateway
 * serves it within a second (the `routes` topic), so `instance_id` selects nothing. Routes set here
 * are overrides over the configuration's routes (see route-layers.ts): they replace a configured route
 * of the same name, and a deleted configured or default route stays deleted until set again.
 */

/** Every servable route now, or UNAVAILABLE while shared state (discovered model lists) cannot be read. */
async function currentRoutes(app: FastifyInstance): Promise<Map<string, Route>> {
  try {
    return await app.catalog.routes();
  } catch (error) {
    if (error instanceof GatewayError) throw new RpcFailure(status.UNAVAILABLE, error.message);
    throw error;
  }
}

/** The default routes (one per model the deployments serve), deleted ones included. */
async function defaultRoutes(app: FastifyInstance): Promise<Map<string, Route>> {
  try {
    return buildRouteTable(await app.catalog.modelsByProvider(), []);
  } catch (error) {
    if (error instanceof GatewayError) throw new RpcFailure(status.UNAVAILABLE, error.message);
    throw error;
  }
}

/** All problems of a request as one INVALID_ARGUMENT naming the first field. */
function refuse(problems: readonly string[]): RpcFailure {
  const first = problems[0]!;
  return new RpcFailure(status.INVALID_ARGUMENT, problems.join('; '), first.slice(0, first.indexOf(':')));
}

/**
 * The overrides after an UpdateRoutes. A route equal to the configured one of its name — or, with no
 * configured one, to the default route of its name — (same targets, strategy, fallbacks; priority 0)
 * is no override: sending back what GetRoutes listed changes nothing, and sending the configured or
 * default definition ends an override or a deletion. A route equal to the override stored for its
 * name keeps that override as stored (GetRoutes shows the effective strategy of a route set without
 * one; sent back, it must not pin it). `replaceAll`: the given routes become the explicit routes —
 * configured routes not given are deleted, earlier overrides are dropped; default routes (a
 * deployment's models) stay unless deleted.
 */
function nextOverrides(
  current: readonly RouteOverride[],
  configRoutes: Parameters<typeof layerRoutes>[0],
  defaults: ReadonlyMap<string, Route>,
  given: readonly DecodedRoute[],
  replaceAll: boolean,
  defaultStrategy: Parameters<typeof sameRoute>[2],
): RouteOverride[] {
  const configured = new Map(configRoutes.map((route) => [route.model, route]));
  const stored = new Map(current.map((entry) => [entry.model, entry]));
  const override = (route: DecodedRoute): RouteOverride | undefined => {
    const base = configured.get(route.model) ?? defaults.get(route.model);
    if (base && route.priority === 0 && sameRoute(base, route.route, defaultStrategy)) return undefined;
    const existing = stored.get(route.model);
    if (existing?.route && existing.priority === route.priority && sameStoredRoute(existing.route, route.route, defaultStrategy)) return existing;
    return { model: route.model, route: route.route, priority: route.priority };
  };
  const byName = new Map(given.map((route) => [route.model, route]));
  if (replaceAll) {
    const tombstones = configRoutes.filter((route) => !byName.has(route.model)).map((route) => ({ model: route.model, priority: 0 }));
    return [...given.map(override).filter((entry): entry is RouteOverride => entry !== undefined), ...tombstones];
  }
  const next: RouteOverride[] = [];
  for (const existing of current) {
    const replacement = byName.get(existing.model);
    if (!replacement) next.push(existing);
    else {
      const entry = override(replacement);
      if (entry) next.push(entry);
    }
  }
  const present = new Set(current.map((entry) => entry.model));
  for (const route of given) {
    const entry = present.has(route.model) ? undefined : override(route);
    if (entry) next.push(entry);
  }
  return next;
}

/** The route methods of the ModuleService. */
export const routesRpcs: RpcGroupFactory = (app) => ({
  async GetRoutes(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const strategy = app.configControl.config.routing.strategy;
    const all = [...(await currentRoutes(app)).values()].map((route) => routeToProto(route, strategy));
    const { routes, total, pagination } = queryRoutes(all, request.query);
    return { routes, total_routes: total, pagination };
  },

  async UpdateRoutes(request) {
    await checkClusterWideInstance(app, request.instance_id);
    if (request.routes.length === 0 && !request.replace_all) throw invalidArgument('routes', 'required: at least one Route (or replace_all=true to delete every explicit route)');
    const problems: string[] = [];
    const given: DecodedRoute[] = [];
    const indexOf = new Map<string, number>();
    for (const [index, message] of request.routes.entries()) {
      const result = routeFromProto(message, index);
      if ('problems' in result) {
        problems.push(...result.problems);
        continue;
      }
      const earlier = indexOf.get(result.decoded.model);
      if (earlier !== undefined) problems.push(`routes[${index}].route_id: duplicate route "${result.decoded.model}" (also routes[${earlier}])`);
      indexOf.set(result.decoded.model, index);
      given.push(result.decoded);
    }
    if (problems.length > 0) throw refuse(problems);
    const { providers, routing } = app.configControl.config;
    const defaults = await defaultRoutes(app);
    let deleted = 0;
    await app.configControl.changeRoutes((current, configRoutes) => {
      const next = nextOverrides(current, configRoutes, defaults, given, request.replace_all, routing.strategy);
      // Checked with the rules of the config file, together with every other route: all or nothing.
      const layerProblems = findLayerProblems(layerRoutes(configRoutes, next), providers).map((problem) => {
        const index = indexOf.get(problem.route.model);
        return index === undefined ? describeLayerProblem(problem, configRoutes) : `routes[${index}]${problem.detail}`;
      });
      if (layerProblems.length > 0) throw refuse(layerProblems);
      deleted = next.filter((entry) => !entry.route && !current.some((existing) => existing.model === entry.model && !existing.route)).length;
      // Compared as routes, not as text: an echo of what is stored writes no new revision.
      return sameOverrides(next, current, routing.strategy) ? undefined : next;
    });
    const notes = request.replace_all ? `; replace_all: every other explicit route is gone${deleted > 0 ? ` (${deleted} configured routes deleted)` : ''}` : '';
    return { success: true, message: `${given.length} routes set for every gateway (applied within a second)${notes}`, routes_updated: given.length };
  },

  async DeleteRoute(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const name = request.route_id;
    if (name === '') throw invalidArgument('route_id', 'required: the public model name of the route to delete');
    if (!(await currentRoutes(app)).has(name)) throw notFound(`No route "${name}" (GetRoutes lists them).`);
    // A default route (a model some deployment serves) needs a tombstone too, or it would come back.
    const isDefault = (await defaultRoutes(app)).has(name);
    await app.configControl.changeRoutes((current, configRoutes) => {
      const layers = layerRoutes(configRoutes, current);
      const dependents = routesFallingBackTo(layers.routes, name);
      if (dependents.length > 0) {
        throw new RpcFailure(status.FAILED_PRECONDITION, `route_id: route "${name}" is a fallback of ${dependents.map((model) => `"${model}"`).join(', ')}; change or delete those routes first`, 'route_id');
      }
      const next = current.filter((entry) => entry.model !== name);
      if (isDefault || configRoutes.some((route) => route.model === name)) next.push({ model: name, priority: 0 });
      return next;
    });
    return { success: true, message: `Route "${name}" deleted for every gateway (applied within a second).` };
  },

  async CanHandle(request) {
    const route = request.route;
    if (route === null) throw invalidArgument('route', 'required: the Route to check');
    if (route.path_pattern.length > MAX_PATH_PATTERN_LENGTH) throw invalidArgument('route.path_pattern', `at most ${MAX_PATH_PATTERN_LENGTH} characters, got ${route.path_pattern.length}`);
    const no = (reason: string) => ({ can_handle: false, priority: 0, reason, metadata: {} });
    if (app.draining) return no('this gateway is shutting down');
    if (!HTTP_PROTOCOLS.has(route.protocol)) return no(`AILB serves model routes over HTTP, not ${route.protocol}`);
    const path = route.path_pattern || CHAT_PATH;
    if (!patternCovers(path, CHAT_PATH)) return no(`path_pattern "${route.path_pattern}" does not cover ${CHAT_PATH}, the path AILB routes by model name`);
    const model = route.metadata.model || route.route_id;
    if (!model) return no('no model: set metadata.model or route_id to a public model name');
    const served = (await currentRoutes(app)).get(model);
    if (!served) return no(`model "${model}" is not served: no route has that name and no deployment lists it`);
    const strategy = served.strategy ?? app.configControl.config.routing.strategy;
    return {
      can_handle: true,
      priority: served.priority,
      reason: `model "${model}" is served by route "${served.model}" (${served.source}, strategy ${strategy}, ${served.targets.length} targets)`,
      metadata: { model: served.model, source: served.source, strategy },
    };
  },
});
