import { findRouteProblems, type ProviderConfig, type RouteConfig, type RouteOverride } from '@ailb/shared';

/** Where a route comes from: the configuration, the ModuleService, or a deployment's model list. */
export type RouteSource = 'config' | 'grpc' | 'default';

/** A route of the configuration or of the control plane, after layering. */
export interface LayeredRoute extends RouteConfig {
  source: Exclude<RouteSource, 'default'>;
  /** The route priority reported to MarchProxy (0 unless set through UpdateRoutes). */
  priority: number;
}

/** The explicit routes a gateway serves, and the names deleted while running. */
export interface RouteLayers {
  /** Configured routes (overridden ones replaced in place, deleted ones left out), then routes only the control plane set. */
  routes: LayeredRoute[];
  /** Names hidden by a tombstone that no explicit route serves: default routes deleted while running. */
  hidden: ReadonlySet<string>;
}

/**
 * Lays the control plane's overrides over the configured routes: an override with a route replaces
 * the configured route of its name (or adds one), a tombstone removes it — and hides a default route
 * of that name too.
 */
export function layerRoutes(configRoutes: readonly RouteConfig[], overrides: readonly RouteOverride[]): RouteLayers {
  const byName = new Map(overrides.map((override) => [override.model, override]));
  const routes: LayeredRoute[] = [];
  for (const route of configRoutes) {
    const override = byName.get(route.model);
    if (!override) routes.push({ ...route, source: 'config', priority: 0 });
    else if (override.route) routes.push({ ...override.route, source: 'grpc', priority: override.priority });
  }
  const configured = new Set(configRoutes.map((route) => route.model));
  for (const override of overrides) {
    if (override.route && !configured.has(override.model)) routes.push({ ...override.route, source: 'grpc', priority: override.priority });
  }
  const hidden = new Set(overrides.filter((override) => !override.route).map((override) => override.model));
  return { routes, hidden };
}

/** A problem with layered routes: the route it concerns and the text after its key (`.fallbacks[0]: unknown route "x"`). */
export interface LayerProblem {
  route: LayeredRoute;
  detail: string;
}

/**
 * Every problem of the layered routes, with the rules of the config file (route-rules.ts), plus one
 * of its own: a route may not fall back to a name deleted while running.
 */
export function findLayerProblems(layers: RouteLayers, providers: readonly ProviderConfig[]): LayerProblem[] {
  const problems: LayerProblem[] = [];
  for (const text of findRouteProblems(layers.routes, providers)) {
    const match = /^routes\[(\d+)\](.*)$/s.exec(text);
    const route = match ? layers.routes[Number(match[1])] : undefined;
    if (route) problems.push({ route, detail: match![2]! });
  }
  const served = new Set(layers.routes.map((route) => route.model));
  for (const route of layers.routes) {
    const references = [...route.fallbacks.map((name, index) => [name, `.fallbacks[${index}]`] as const), ...(route.context_fallback === undefined ? [] : [[route.context_fallback, '.context_fallback'] as const])];
    for (const [name, key] of references) {
      if (layers.hidden.has(name) && !served.has(name)) problems.push({ route, detail: `${key}: route "${name}" was deleted` });
    }
  }
  return problems;
}

/** How a problem reads by default: `routes[i]…` for a configured route, the route's name for one set over the control plane. */
export function describeLayerProblem(problem: LayerProblem, configRoutes: readonly RouteConfig[]): string {
  const index = configRoutes.findIndex((route) => route.model === problem.route.model);
  const key = problem.route.source === 'config' && index >= 0 ? `routes[${index}]` : `route "${problem.route.model}" (set through UpdateRoutes)`;
  return `${key}${problem.detail}`;
}

/** The explicit routes that name `name` as a fallback or context fallback. */
export function routesFallingBackTo(routes: readonly RouteConfig[], name: string): string[] {
  return routes.filter((route) => route.model !== name && (route.fallbacks.includes(name) || route.context_fallback === name)).map((route) => route.model);
}

/**
 * The overrides that can be applied without breaking the table, for a gateway re-reading state
 * written by others: normally all of them; when concurrent changes left a combination that does not
 * hold (a route changed in the configuration while another was set over the control plane), the
 * overrides that break it are left out, the same ones on every gateway.
 */
export function applicableOverrides(configRoutes: readonly RouteConfig[], overrides: readonly RouteOverride[], providers: readonly ProviderConfig[]): { applied: RouteOverride[]; skipped: Array<{ override: RouteOverride; problem: string }> } {
  const holds = (candidate: readonly RouteOverride[]) => findLayerProblems(layerRoutes(configRoutes, candidate), providers);
  if (holds(overrides).length === 0) return { applied: [...overrides], skipped: [] };
  let applied: RouteOverride[] = [];
  let pending = [...overrides];
  // Two passes, so an override that names one set after it still gets in.
  for (let pass = 0; pass < 2; pass++) {
    const next: RouteOverride[] = [];
    for (const override of pending) {
      if (holds([...applied, override]).length === 0) applied = [...applied, override];
      else next.push(override);
    }
    pending = next;
  }
  const skipped = pending.map((override) => {
    const problem = holds([...applied, override])[0];
    return { override, problem: problem ? describeLayerProblem(problem, configRoutes) : 'does not hold with the other routes' };
  });
  // Keep the stored order.
  const kept = new Set(applied);
  return { applied: overrides.filter((override) => kept.has(override)), skipped };
}
