import { GatewayError, type ClusterStateReader, type ModelObject, type ProviderConfig, type RouteTarget, type RoutingPlan, type RoutingStrategy } from '@ailb/shared';

/** How long discovered model lists are reused before asking the shared state again. */
const DISCOVERY_CACHE_MS = 2000;

/**
 * Knows which deployment serves which model: configured lists, and for deployments without one the
 * lists workers discovered. Turns a requested model name into a routing plan.
 */
export class ModelCatalog {
  private cached: { at: number; models: Map<string, string[]> } | undefined;
  private roundRobinPosition = 0;

  constructor(
    private readonly providers: ProviderConfig[],
    private readonly state: ClusterStateReader,
    private readonly strategy: RoutingStrategy,
    private readonly startedAt = Math.floor(Date.now() / 1000),
  ) {}

  /** Models per deployment id; a deployment whose list is still unknown maps to undefined. */
  private async modelsByProvider(): Promise<Map<string, string[] | undefined>> {
    const needsDiscovery = this.providers.some((provider) => provider.models === undefined);
    let discovered = new Map<string, string[]>();
    if (needsDiscovery) {
      const now = Date.now();
      if (!this.cached || now - this.cached.at > DISCOVERY_CACHE_MS) {
        try {
          this.cached = { at: now, models: await this.state.discoveredModels() };
        } catch (error) {
          // A stale list beats failing every request while shared state blips.
          if (!this.cached) throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
        }
      }
      discovered = this.cached?.models ?? discovered;
    }
    return new Map(this.providers.map((provider) => [provider.id, provider.models ?? discovered.get(provider.id)]));
  }

  /**
   * Resolves a model name: an exact name goes only to deployments that list it; `provider-id/model`
   * selects one deployment. Unknown names are a 404 `model_not_found`.
   */
  async plan(requestedModel: string): Promise<RoutingPlan> {
    const byProvider = await this.modelsByProvider();
    let targets: RouteTarget[] = [];
    for (const [provider, models] of byProvider) {
      if (models?.includes(requestedModel)) targets.push({ provider, model: requestedModel });
    }
    if (targets.length === 0) {
      const slash = requestedModel.indexOf('/');
      const provider = slash > 0 ? requestedModel.slice(0, slash) : '';
      const model = requestedModel.slice(slash + 1);
      if (byProvider.has(provider) && model && byProvider.get(provider)?.includes(model)) targets = [{ provider, model }];
    }
    if (targets.length === 0) {
      throw new GatewayError('model_not_found', `The model '${requestedModel}' does not exist or is not served by this gateway.`, { param: 'model' });
    }
    return { requestedModel, strategy: this.strategy, targets: this.order(targets) };
  }

  /** Orders candidates; the routing issue replaces this with cluster-wide strategies and health. */
  private order(targets: RouteTarget[]): RouteTarget[] {
    if (targets.length < 2 || this.strategy !== 'round_robin') return targets;
    const start = this.roundRobinPosition++ % targets.length;
    return [...targets.slice(start), ...targets.slice(0, start)];
  }

  /** Every servable model in OpenAI's list shape: plain names, then `provider-id/model` for each deployment. */
  async list(): Promise<ModelObject[]> {
    const byProvider = await this.modelsByProvider();
    const plain = new Map<string, ModelObject>();
    const qualified: ModelObject[] = [];
    for (const [provider, models] of byProvider) {
      for (const model of models ?? []) {
        if (!plain.has(model)) plain.set(model, { id: model, object: 'model', created: this.startedAt, owned_by: provider });
        qualified.push({ id: `${provider}/${model}`, object: 'model', created: this.startedAt, owned_by: provider });
      }
    }
    return [...plain.values(), ...qualified];
  }
}
