import { GatewayError, type ProviderConfig, type RouteConfig, type RouteOverride } from '@ailb/shared';
import { applicableOverrides, describeLayerProblem, findLayerProblems, layerRoutes, type RouteLayers, type RouteSource } from './route-layers.js';

export type { RouteSource } from './route-layers.js';

/** A public model name and its targets: a route of the configuration, of the control plane, or one derived from model lists. */
export interface Route extends RouteConfig {
  /** `config` (the configuration's `routes:`), `grpc` (set through the ModuleService) or `default` (one per served model). */
  source: RouteSource;
  /** The route priority reported to MarchProxy; 0 unless set through UpdateRoutes. AILB routes by model name. */
  priority: number;
}

/**
 * Every servable public name. Defaults first: each model a deployment serves, under its plain name
 * (targets: every deployment serving it, in config order) and as `deployment-id/model` (that one
 * target); a plain name wins over an equal qualified one. Explicit routes (configured, or set over the
 * control plane) then add names and replace a default of the same name; `hidden` names (deleted while
 * running) are left out.
 *
 * @param modelsByProvider models per deployment id in config order; undefined while still unknown
 */
export function buildRouteTable(
  modelsByProvider: ReadonlyMap<string, readonly string[] | undefined>,
  routes: ReadonlyArray<RouteConfig & { source?: Exclude<RouteSource, 'default'>; priority?: number }>,
  hidden: ReadonlySet<string> = new Set(),
): Map<string, Route> {
  const table = new Map<string, Route>();
  const defaultTarget = (provider: string, model: string) => ({ provider, model, priority: 0, weight: 1 });
  const defaultRoute = (model: string, provider: string, upstream: string): Route => ({ model, targets: [defaultTarget(provider, upstream)], fallbacks: [], source: 'default', priority: 0 });
  for (const [provider, models] of modelsByProvider) {
    for (const model of models ?? []) {
      const route = table.get(model);
      if (route) route.targets.push(defaultTarget(provider, model));
      else table.set(model, defaultRoute(model, provider, model));
    }
  }
  for (const [provider, models] of modelsByProvider) {
    for (const model of models ?? []) {
      const name = `${provider}/${model}`;
      if (!table.has(name)) table.set(name, defaultRoute(name, provider, model));
    }
  }
  for (const name of hidden) table.delete(name);
  for (const route of routes) table.set(route.model, { ...route, source: route.source ?? 'config', priority: route.priority ?? 0 });
  return table;
}

/**
 * The routes a gateway serves, as one object every stage reads and that changes while running: the
 * configuration's routes (replaced by a reload or UpdateConfig), the control plane's overrides over
 * them (UpdateRoutes, DeleteRoute), plus one default route per model the deployments serve. Changes
 * are validated with the same rules as the config file and take effect on the next request; `version`
 * counts them.
 */
export class RouteTable {
  private configRoutesNow: readonly RouteConfig[];
  private overridesNow: readonly RouteOverride[] = [];
  private layers: RouteLayers;
  private changes = 0;
  private built: { lists: ReadonlyMap<string, readonly string[] | undefined>; version: number; routes: Map<string, Route> } | undefined;

  constructor(
    private readonly providers: readonly ProviderConfig[],
    routes: readonly RouteConfig[],
  ) {
    this.configRoutesNow = [...routes];
    this.layers = layerRoutes(this.configRoutesNow, []);
  }

  /** How many changes the table has seen since start. */
  get version(): number {
    return this.changes;
  }

  /** The explicit routes: the configuration's with the control plane's overrides laid over them (not the default routes). */
  configured(): readonly Route[] {
    return this.layers.routes;
  }

  /** The configuration's routes, without overrides. */
  configRoutes(): readonly RouteConfig[] {
    return this.configRoutesNow;
  }

  /** The control plane's overrides in effect. */
  overrides(): readonly RouteOverride[] {
    return this.overridesNow;
  }

  /** Replaces the configuration's routes. Rejects (400, naming the key) routes that do not hold together. */
  replaceAll(routes: readonly RouteConfig[]): void {
    this.applyStrictly([...routes]);
  }

  /** Adds a route to the configuration's routes, or replaces the one of the same name. */
  upsert(route: RouteConfig): void {
    const index = this.configRoutesNow.findIndex((existing) => existing.model === route.model);
    this.applyStrictly(index < 0 ? [...this.configRoutesNow, route] : this.configRoutesNow.map((existing, position) => (position === index ? route : existing)));
  }

  /** Removes a configured route; false when there is none of that name. Routes falling back to it must go first. */
  remove(name: string): boolean {
    if (!this.configRoutesNow.some((route) => route.model === name)) return false;
    this.applyStrictly(this.configRoutesNow.filter((route) => route.model !== name));
    return true;
  }

  /**
   * Applies a state read from the cluster: the configuration's routes (already validated against the
   * deployments) and the overrides. Overrides that do not hold with them — only possible when two
   * changes raced — are left out and returned, so the caller can report them; every gateway leaves out
   * the same ones.
   */
  setLayers(configRoutes: readonly RouteConfig[], overrides: readonly RouteOverride[]): Array<{ override: RouteOverride; problem: string }> {
    const { applied, skipped } = applicableOverrides(configRoutes, overrides, this.providers);
    this.configRoutesNow = [...configRoutes];
    this.overridesNow = applied;
    this.layers = layerRoutes(this.configRoutesNow, this.overridesNow);
    this.changes++;
    return skipped;
  }

  /**
   * Every servable public name for the deployments' current model lists. Rebuilt only when the lists
   * object or the table changes, since it is read on every request.
   */
  resolve(lists: ReadonlyMap<string, readonly string[] | undefined>): Map<string, Route> {
    if (!this.built || this.built.lists !== lists || this.built.version !== this.changes) {
      this.built = { lists, version: this.changes, routes: buildRouteTable(lists, this.layers.routes, this.layers.hidden) };
    }
    return this.built.routes;
  }

  private applyStrictly(routes: RouteConfig[]): void {
    const layers = layerRoutes(routes, this.overridesNow);
    const problem = findLayerProblems(layers, this.providers)[0];
    if (problem) {
      const text = describeLayerProblem(problem, routes);
      throw new GatewayError('invalid_value', text, { param: text.slice(0, text.indexOf(':')) });
    }
    this.configRoutesNow = routes;
    this.layers = layers;
    this.changes++;
  }
}
