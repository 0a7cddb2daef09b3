import { circuitState, CLOSED_CIRCUIT, type CircuitPolicy, type ClusterStateReader, type ProviderConfig } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../routing/model-catalog.js';

export interface RoutingStatsDependencies {
  state: ClusterStateReader;
  catalog: ModelCatalog;
  providers: ProviderConfig[];
  strategy: string;
  circuit: CircuitPolicy;
}

/**
 * GET /api/routing/stats: per-provider statistics and per-target circuit breakers, from the state
 * every worker writes (so every gateway shows the same).
 */
export function registerRoutingStatsRoute(app: FastifyInstance, dependencies: RoutingStatsDependencies): void {
  const { state, catalog, providers, strategy, circuit } = dependencies;
  app.get('/api/routing/stats', async () => {
    const stats = await state.providerStats(providers.map((provider) => provider.id));
    const targets = await catalog.knownTargets();
    const circuits = await state.circuits(targets);
    const now = Date.now();
    return {
      strategy,
      providers: Object.fromEntries(stats.map((entry) => [entry.provider, { ...entry, type: providers.find((provider) => provider.id === entry.provider)?.type }])),
      targets: Object.fromEntries(
        targets.map((key) => {
          const record = circuits.get(key) ?? CLOSED_CIRCUIT;
          return [
            key,
            {
              circuit: circuitState(record, circuit, now),
              consecutive_failures: record.consecutiveFailures,
              opened_at: record.openedAt === null ? null : new Date(record.openedAt).toISOString(),
            },
          ];
        }),
      ),
    };
  });
}
