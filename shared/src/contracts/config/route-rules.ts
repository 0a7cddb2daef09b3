import type { ProviderConfig, RouteConfig } from './config.schema.js';

/**
 * What makes a set of routes consistent with the deployments and with each other, as one rule set for
 * the config file at start and for route changes at run time. Returns the first problem, naming the
 * key (`routes[0].targets[1].provider: unknown provider "x"`), or undefined when the routes hold.
 *
 * A fallback must name a route known now: one of `routes` or a model some deployment lists (plain or
 * `id/model`). Models that are only discovered at run time are not known yet, so a route to one of them
 * must be declared explicitly.
 */
export function findRouteProblem(routes: readonly RouteConfig[], providers: readonly ProviderConfig[]): string | undefined {
  return findRouteProblems(routes, providers)[0];
}

/** Every problem {@link findRouteProblem} would report one at a time, in key order (none: the routes hold). */
export function findRouteProblems(routes: readonly RouteConfig[], providers: readonly ProviderConfig[]): string[] {
  const providerIds = new Set(providers.map((provider) => provider.id));
  const known = new Set(routes.map((route) => route.model));
  for (const provider of providers) {
    for (const model of provider.models ?? []) known.add(model).add(`${provider.id}/${model}`);
  }
  const referenceProblem = (name: string, key: string, route: RouteConfig): string | undefined => {
    if (name === route.model) return `${key}: route "${route.model}" cannot fall back to itself`;
    if (!known.has(name)) return `${key}: unknown route "${name}" (name a route in routes: or a model listed in providers[].models)`;
    return undefined;
  };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, route] of routes.entries()) {
    if (seen.has(route.model)) problems.push(`routes[${index}].model: duplicate route "${route.model}"`);
    seen.add(route.model);
    for (const [targetIndex, target] of route.targets.entries()) {
      if (!providerIds.has(target.provider)) problems.push(`routes[${index}].targets[${targetIndex}].provider: unknown provider "${target.provider}"`);
    }
    for (const [fallbackIndex, name] of route.fallbacks.entries()) {
      const problem = referenceProblem(name, `routes[${index}].fallbacks[${fallbackIndex}]`, route);
      if (problem) problems.push(problem);
    }
    if (route.context_fallback !== undefined) {
      const problem = referenceProblem(route.context_fallback, `routes[${index}].context_fallback`, route);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}
