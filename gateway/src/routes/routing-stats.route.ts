import type { ClusterStateReader, ProviderConfig } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';

/** GET /api/routing/stats: per-provider statistics from the state every worker writes. */
export function registerRoutingStatsRoute(app: FastifyInstance, state: ClusterStateReader, providers: ProviderConfig[], strategy: string): void {
  app.get('/api/routing/stats', async () => {
    const stats = await state.providerStats(providers.map((provider) => provider.id));
    return {
      strategy,
      providers: Object.fromEntries(stats.map((entry) => [entry.provider, { ...entry, type: providers.find((provider) => provider.id === entry.provider)?.type }])),
    };
  });
}
