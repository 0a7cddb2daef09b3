import {
  GatewayError,
  type GatewayState,
  mergeTimeouts,
  type AttemptTimeouts,
  type CircuitPolicy,
  type PlannedTarget,
  type ProviderConfig,
  targetKey,
  type RetryPolicy,
  type RouteTarget,
  type TargetHealth,
  type RoutingPlan,
  type RoutingStrategy,
  type TokenPrice,
} from '@ailb/shared';
import { HealthFilter, RoutingRefusal, type HealthVerdict } from './health-filter.js';
import { targetPrice } from './price-table.js';
import type { Route, RouteTable } from './route-table.js';
import { strategies, type CandidateStats, type RouteCandidate } from './strategies/index.js';

/** How long discovered model lists are reused before asking the shared state again. */
const DISCOVERY_CACHE_MS = 2000;

/** What {@link ModelCatalog} is built from. */
export interface ModelCatalogOptions {
  providers: ProviderConfig[];
  /** The configured routes, changeable while running; default routes come from the model lists. */
  routeTable: RouteTable;
  state: GatewayState;
  /** The strategy of routes that name none (`routing.strategy`). */
  strategy: RoutingStrategy;
  /** `routing.timeouts`; a route target's own `timeouts` overrides them. */
  timeouts: AttemptTimeouts;
  /** `routing.retries`, carried in every plan. */
  retries: RetryPolicy;
  /** `routing.continue_streams`; a route's own overrides it. Absent: true. */
  continueStreams?: boolean | undefined;
  /** `routing.hedge_after_ms`; a route's or target's own overrides it. Absent: no hedging. */
  hedgeAfterMs?: number | undefined;
  /** `routing.circuit`: targets whose circuit is open are left out of plans. */
  circuit: CircuitPolicy;
  /** Uniform numbers in [0, 1) for `random` and exploration. @defaultValue Math.random */
  random?: () => number;
}

/** One servable public model name and the deployment that owns it (`ailb` for a name only `routes:` defines). */
export interface ServableModel {
  id: string;
  ownedBy: string;
}

/** Options of one plan. */
export interface PlanOptions {
  /** Whether the request streams. @defaultValue false */
  stream?: boolean;
  /** Who holds the probe claims this plan makes (the job id); released with `releaseUnusedProbes`. */
  claimId: string;
}

/**
 * Knows which public model names exist (routes from config plus one default route per served model,
 * with discovered lists for deployments that list none) and turns a requested name into a routing
 * plan ordered by the route's strategy over the shared stats.
 */
export class ModelCatalog {
  private discovered: { at: number; models: Map<string, string[]> } | undefined;
  /** Model lists per deployment, rebuilt only when a new discovered list arrives (so the table's cache holds). */
  private lists: { source: Map<string, string[]> | undefined; models: Map<string, string[] | undefined> } | undefined;
  /** Used only while shared state is unreachable. */
  private readonly roundRobinPositions = new Map<string, number>();
  private balancedByTable = new WeakMap<Map<string, Route>, ReadonlySet<string>>();
  private readonly health: HealthFilter;
  private readonly providerTypes: Map<string, ProviderConfig['type']>;
  private readonly random: () => number;

  constructor(private options: ModelCatalogOptions) {
    this.health = new HealthFilter(options.state, options.circuit);
    this.providerTypes = new Map(options.providers.map((provider) => [provider.id, provider.type]));
    this.random = options.random ?? Math.random;
  }

  /** Models per deployment id; a deployment whose list is still unknown maps to undefined. */
  async modelsByProvider(): Promise<Map<string, string[] | undefined>> {
    const { providers, state } = this.options;
    if (providers.some((provider) => provider.models === undefined)) {
      const now = Date.now();
      if (!this.discovered || now - this.discovered.at > DISCOVERY_CACHE_MS) {
        try {
          this.discovered = { at: now, models: await state.discoveredModels() };
        } catch (error) {
          // A stale list beats failing every request while shared state blips.
          if (!this.discovered) throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
        }
      }
    }
    const source = this.discovered?.models;
    if (!this.lists || this.lists.source !== source) {
      this.lists = { source, models: new Map(providers.map((provider) => [provider.id, provider.models ?? source?.get(provider.id)])) };
    }
    return this.lists.models;
  }

  /** Every servable public name and its route, from the route table over the current model lists. */
  async routes(): Promise<Map<string, Route>> {
    return this.options.routeTable.resolve(await this.modelsByProvider());
  }

  /** A circuit opened somewhere in the cluster: plans from now on read health afresh. */
  circuitsChanged(): void {
    this.health.invalidate();
  }

  /** Applies routing settings changed while running (reload, UpdateConfig): plans made from now on use them. */
  updateRouting(settings: Pick<ModelCatalogOptions, 'strategy' | 'timeouts' | 'retries' | 'continueStreams' | 'hedgeAfterMs'>): void {
    this.options = { ...this.options, ...settings };
    // Which targets count in flight depends on the default strategy.
    this.balancedByTable = new WeakMap();
  }

  /**
   * Resolves a public model name to a plan: the route's targets ordered by its strategy (default
   * `routing.strategy`), then the targets of its `fallbacks` routes, each target once. Unknown names
   * are a 404 `model_not_found`.
   */
  async plan(requestedModel: string, options: PlanOptions): Promise<RoutingPlan> {
    const routes = await this.routes();
    const route = routes.get(requestedModel);
    if (!route) {
      throw new GatewayError('model_not_found', `The model '${requestedModel}' does not exist or is not served by this gateway.`, { param: 'model' });
    }
    const stream = options.stream === true;
    const strategy = route.strategy ?? this.options.strategy;
    // Fallbacks of fallbacks are not followed: the plan stays as long as the config reads.
    const fallbacks = route.fallbacks.map((name) => routes.get(name)).filter((fallback): fallback is Route => fallback !== undefined);
    const position = strategy === 'round_robin' && route.targets.length > 1 ? await this.nextPosition(route.model) : 0;
    const balanced = this.balancedTargets(routes);
    const { targets, excluded } = await this.admitAndOrder([{ route, position }, ...fallbacks.map((fallback) => ({ route: fallback, position: 0 }))], stream, options.claimId, balanced).catch((error: unknown) => {
      if (error instanceof RoutingRefusal) error.strategy = strategy;
      throw error;
    });
    const contextFallback = await this.contextFallback(route, routes, stream, options.claimId, balanced);
    return {
      requestedModel,
      strategy,
      targets,
      ...(contextFallback.length > 0 ? { contextFallback } : {}),
      ...(excluded.length > 0 ? { excluded } : {}),
      retries: route.retry_on_timeout === undefined ? this.options.retries : { ...this.options.retries, retryOnTimeout: route.retry_on_timeout },
      ...((route.continue_streams ?? this.options.continueStreams) === false ? { continueStreams: false } : {}),
    };
  }

  /**
   * Health filtering first (open circuits, probes in flight, full targets are left out), then each
   * route's strategy over what is left, then the fallback routes' targets, each target once. Half-open
   * probes go first so the one request allowed to test a target actually does.
   */
  private async admitAndOrder(entries: Array<{ route: Route; position: number }>, stream: boolean, claimId: string, balanced: ReadonlySet<string>): Promise<{ targets: PlannedTarget[]; excluded: HealthVerdict['excluded'] }> {
    const healthOf = await this.health.read(entries.flatMap(({ route }) => route.targets.map(targetKey)));
    const verdict = await this.health.apply(uniqueTargets(entries.flatMap(({ route }) => route.targets.map((target) => this.planned(target, balanced, route)))), healthOf, claimId);
    const admitted = new Set(verdict.targets.map(targetKey));
    const probes = new Set(verdict.probes.map(targetKey));
    const statsOf = this.statsFrom(healthOf, stream);
    const ordered = uniqueTargets(
      entries.flatMap(({ route, position }) => this.order(route, route.strategy ?? this.options.strategy, statsOf, stream, position, admitted, balanced)),
    );
    const probing = ordered.filter((target) => probes.has(targetKey(target))).map((target) => ({ ...target, probe: true }));
    return { targets: [...probing, ...ordered.filter((target) => !probes.has(targetKey(target)))], excluded: verdict.excluded };
  }

  /**
   * The targets of the route's `context_fallback`, filtered and ordered like any plan; none when there
   * is no such route or all of it is unavailable (the context-length verdict is then the answer).
   */
  private async contextFallback(route: Route, routes: Map<string, Route>, stream: boolean, claimId: string, balanced: ReadonlySet<string>): Promise<PlannedTarget[]> {
    const fallback = route.context_fallback === undefined ? undefined : routes.get(route.context_fallback);
    if (!fallback) return [];
    try {
      return (await this.admitAndOrder([{ route: fallback, position: 0 }], stream, claimId, balanced)).targets;
    } catch {
      return [];
    }
  }

  /**
   * A configured target as plans carry it: time limits and hedging resolved (target, then route, then
   * `routing`), concurrency limit and prefill override attached, and
   * whether its attempts are counted in flight. Only a limit or a `load_balanced` route reads the
   * count, but such a route reads every attempt on its targets, however the request reached them (the
   * plain model name, another route), so the flag goes by target, not by the route of this request.
   */
  private planned(target: Route['targets'][number], balanced: ReadonlySet<string>, route: Route): PlannedTarget {
    const planned: PlannedTarget = { provider: target.provider, model: target.model, timeouts: mergeTimeouts(this.options.timeouts, target.timeouts) };
    const hedgeAfterMs = target.hedge_after_ms ?? route.hedge_after_ms ?? this.options.hedgeAfterMs;
    if (hedgeAfterMs !== undefined) planned.hedgeAfterMs = hedgeAfterMs;
    if (target.supports_prefill !== undefined) planned.supportsPrefill = target.supports_prefill;
    if (target.max_concurrency !== undefined) planned.maxConcurrency = target.max_concurrency;
    if (target.max_concurrency !== undefined || balanced.has(targetKey(target))) planned.countInFlight = true;
    return planned;
  }

  /** The targets of every `load_balanced` route, computed once per route table (it is read on every request). */
  private balancedTargets(routes: Map<string, Route>): ReadonlySet<string> {
    let keys = this.balancedByTable.get(routes);
    if (!keys) {
      keys = new Set([...routes.values()].filter((route) => (route.strategy ?? this.options.strategy) === 'load_balanced').flatMap((route) => route.targets.map(targetKey)));
      this.balancedByTable.set(routes, keys);
    }
    return keys;
  }

  /** Candidate stats from target health; for streams the client waits for the first token. */
  private statsFrom(healthOf: (key: string) => TargetHealth, stream: boolean): (target: RouteTarget) => CandidateStats {
    return (target) => {
      const health = healthOf(targetKey(target));
      const latency = stream ? (health.ttftEwmaMs ?? health.latencyEwmaMs) : health.latencyEwmaMs;
      return { avgLatencyMs: latency, samples: health.successes, inFlight: health.inFlight };
    };
  }

  /**
   * The route's round-robin position, shared by every gateway (so N gateways rotate as one), with
   * this process's own counter when shared state cannot be reached.
   */
  private async nextPosition(routeName: string): Promise<number> {
    try {
      return await this.options.state.nextRoundRobin(routeName);
    } catch {
      const position = this.roundRobinPositions.get(routeName) ?? 0;
      this.roundRobinPositions.set(routeName, (position + 1) % Number.MAX_SAFE_INTEGER);
      return position;
    }
  }

  /** Orders one route's admitted targets with its strategy over the targets' shared health. */
  private order(route: Route, strategy: RoutingStrategy, statsOf: (target: RouteTarget) => CandidateStats, stream: boolean, roundRobinPosition: number, admitted: ReadonlySet<string>, balanced: ReadonlySet<string>): PlannedTarget[] {
    const planned = new Map<RouteCandidate, PlannedTarget>();
    const candidates: RouteCandidate[] = route.targets
      .filter((target) => admitted.has(targetKey(target)))
      .map((target) => {
        const candidate: RouteCandidate = {
          target: { provider: target.provider, model: target.model },
          priority: target.priority,
          weight: target.weight,
          price: targetPrice(target, this.providerTypes.get(target.provider)),
          stats: statsOf(target),
        };
        planned.set(candidate, this.planned(target, balanced, route));
        return candidate;
      });
    return strategies[strategy](candidates, { random: this.random, roundRobinPosition, stream }).map((candidate) => planned.get(candidate)!);
  }

  /**
   * What one attempt's target costs per 1M tokens, as `cost_optimized` ranks it: the `price` of the
   * target in the requested route or its fallbacks, else free for Ollama, else the built-in table.
   */
  async priceOf(requestedModel: string, provider: string, model: string): Promise<TokenPrice | undefined> {
    const routes = await this.routes();
    const route = routes.get(requestedModel);
    const related = route ? [route, ...route.fallbacks.map((name) => routes.get(name)), ...(route.context_fallback ? [routes.get(route.context_fallback)] : [])] : [];
    const target = related.flatMap((entry) => entry?.targets ?? []).find((candidate) => candidate.provider === provider && candidate.model === model);
    return targetPrice(target ?? { model }, this.providerTypes.get(provider));
  }

  /** Gives back the probe claims of a plan that no attempt used (see `HealthFilter.releaseUnusedProbes`). */
  releaseUnusedProbes(plan: RoutingPlan, claimId: string, attempted: ReadonlySet<string>): Promise<void> {
    return this.health.releaseUnusedProbes([...plan.targets, ...(plan.contextFallback ?? [])], claimId, attempted);
  }

  /** Every target some route can send to, once each (`provider/model` keys), for reports. */
  async knownTargets(): Promise<string[]> {
    const keys = new Set<string>();
    for (const route of (await this.routes()).values()) for (const target of route.targets) keys.add(`${target.provider}/${target.model}`);
    return [...keys].sort();
  }

  /**
   * Every servable name: plain model names (owned by the first deployment serving them), then names
   * only `routes:` defines (owned by `ailb`), then `deployment-id/model`.
   */
  async list(): Promise<ServableModel[]> {
    const byProvider = await this.modelsByProvider();
    // A default route deleted while running is not servable, though its deployment still lists it.
    const routes = this.options.routeTable.resolve(byProvider);
    const entry = (id: string, ownedBy: string): ServableModel => ({ id, ownedBy });
    const plain = new Map<string, ServableModel>();
    const qualified: ServableModel[] = [];
    for (const [provider, models] of byProvider) {
      for (const model of models ?? []) {
        if (!plain.has(model) && routes.has(model)) plain.set(model, entry(model, provider));
        if (routes.has(`${provider}/${model}`)) qualified.push(entry(`${provider}/${model}`, provider));
      }
    }
    const qualifiedIds = new Set(qualified.map((model) => model.id));
    const routed = this.options.routeTable.configured().filter((route) => !plain.has(route.model) && !qualifiedIds.has(route.model)).map((route) => entry(route.model, 'ailb'));
    return [...plain.values(), ...routed, ...qualified];
  }
}

/** Each target once (by `provider/model`), first occurrence kept. */
function uniqueTargets(targets: PlannedTarget[]): PlannedTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = targetKey(target);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
