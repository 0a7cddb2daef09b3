import type { RouteConfig } from '@ailb/shared';

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
