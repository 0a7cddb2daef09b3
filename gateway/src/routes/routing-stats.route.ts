import { circuitState, UNKNOWN_TARGET_HEALTH, type CircuitPolicy, type GatewayState, type ProviderConfig } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../routing/model-catalog.js';

export interface RoutingStatsDependencies {
  state: GatewayState;
  catalog: ModelCatalog;
  providers: ProviderConfig[];
  /** The default strategy, read on each request (a reload or UpdateConfig changes it while running). */
  strategy: string | (() => string);
  circuit: CircuitPolicy;
}

/**
 * GET /api/routing/stats: per-provider statistics and per-target health (circuit, counts, latency and
 * TTFT EWMAs, in-flight attempts), from the state
 * every worker writes (so every gateway shows the same).
 */
export function registerRoutingStatsRoute(app: FastifyInstance, dependencies: RoutingStatsDependencies): void {
  const { state, catalog, providers, strategy, circuit } = dependencies;
  app.get('/api/routing/stats', async () => {
    const stats = await state.providerStats(providers.map((provider) => provider.id));
    const targets = await catalog.knownTargets();
    const now = Date.now();
    const health = await state.targetHealth(targets, now);
    return {
      strategy: typeof strategy === 'function' ? strategy() : strategy,
      providers: Object.fromEntries(stats.map((entry) => [entry.provider, { ...entry, type: providers.find((provider) => provider.id === entry.provider)?.type }])),
      targets: Object.fromEntries(
        targets.map((key) => {
          const target = health.get(key) ?? UNKNOWN_TARGET_HEALTH;
          const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
          return [
            key,
            {
              circuit: circuitState(target.circuit, circuit, now),
              consecutive_failures: target.circuit.consecutiveFailures,
              opened_at: target.circuit.openedAt === null ? null : new Date(target.circuit.openedAt).toISOString(),
              successes: target.successes,
              failures: target.failures,
              latency_ewma_ms: round(target.latencyEwmaMs),
              ttft_ewma_ms: round(target.ttftEwmaMs),
              in_flight: target.inFlight,
            },
          ];
        }),
      ),
    };
  });
}
