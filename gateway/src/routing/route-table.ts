import { findRouteProblem, GatewayError, type ProviderConfig, type RouteConfig } from '@ailb/shared';

/** A public model name and its targets: a route from `routes:` or one derived from model lists. */
export interface Route extends RouteConfig {
  /** True when written in `routes:`; false for a default route. */
  explicit: boolean;
}

/**
 * Every servable public name. Defaults first: each model a deployment serves, under its plain name
 * (targets: every deployment serving it, in config order) and as `deployment-id/model` (that one
 * target); a plain name wins over an equal qualified one. Routes from `routes:` then add names and
 * replace a default of the same name.
 *
 * @param modelsByProvider models per deployment id in config order; undefined while still unknown
 */
export function buildRouteTable(modelsByProvider: ReadonlyMap<string, readonly string[] | undefined>, routes: readonly RouteConfig[]): Map<string, Route> {
  const table = new Map<string, Route>();
  const defaultTarget = (provider: string, model: string) => ({ provider, model, priority: 0, weight: 1 });
  for (const [provider, models] of modelsByProvider) {
    for (const model of models ?? []) {
      const route = table.get(model);
      if (route) route.targets.push(defaultTarget(provider, model));
      else table.set(model, { model, targets: [defaultTarget(provider, model)], fallbacks: [], explicit: false });
    }
  }
  for (const [provider, models] of modelsByProvider) {
    for (const model of models ?? []) {
      const name = `${provider}/${model}`;
      if (!table.has(name)) table.set(name, { model: name, targets: [defaultTarget(provider, model)], fallbacks: [], explicit: false });
    }
  }
  for (const route of routes) table.set(route.model, { ...route, explicit: true });
  return table;
}

/**
 * The routes a gateway serves, as one object every stage reads and that can change while running
 * (config reload, the ModuleService): the configured routes, plus one default route per model the
 * deployments serve. Changes are validated with the same rules as the config file and take effect on
 * the next request; `version` counts them.
 */
export class RouteTable {
  private configuredRoutes: readonly RouteConfig[];
  private changes = 0;
  private built: { lists: ReadonlyMap<string, readonly string[] | undefined>; version: number; routes: Map<string, Route> } | undefined;

  constructor(
    private readonly providers: readonly ProviderConfig[],
    routes: readonly RouteConfig[],
  ) {
    this.configuredRoutes = [...routes];
  }

  /** How many changes the table has seen since start. */
  get version(): number {
    return this.changes;
  }

  /** The routes from configuration and later changes (not the default routes). */
  configured(): readonly RouteConfig[] {
    return this.configuredRoutes;
  }

  /** Replaces every configured route. Rejects (400, naming the key) routes that do not hold together. */
  replaceAll(routes: readonly RouteConfig[]): void {
    this.apply([...routes]);
  }

  /** Adds a route, or replaces the configured route of the same name. */
  upsert(route: RouteConfig): void {
    const index = this.configuredRoutes.findIndex((existing) => existing.model === route.model);
    this.apply(index < 0 ? [...this.configuredRoutes, route] : this.configuredRoutes.map((existing, position) => (position === index ? route : existing)));
  }

  /** Removes a configured route; false when there is none of that name. Routes falling back to it must go first. */
  remove(name: string): boolean {
    if (!this.configuredRoutes.some((route) => route.model === name)) return false;
    this.apply(this.configuredRoutes.filter((route) => route.model !== name));
    return true;
  }

  /**
   * Every servable public name for the deployments' current model lists. Rebuilt only when the lists
   * object or the table changes, since it is read on every request.
   */
  resolve(lists: ReadonlyMap<string, readonly string[] | undefined>): Map<string, Route> {
    if (!this.built || this.built.lists !== lists || this.built.version !== this.changes) {
      this.built = { lists, version: this.changes, routes: buildRouteTable(lists, this.configuredRoutes) };
    }
    return this.built.routes;
  }

  private apply(routes: RouteConfig[]): void {
    const problem = findRouteProblem(routes, this.providers);
    if (problem) throw new GatewayError('invalid_value', problem, { param: problem.slice(0, problem.indexOf(':')) });
    this.configuredRoutes = routes;
    this.changes++;
  }
}
