import type { AppConfig, GatewayState } from '@ailb/shared';
import fp from 'fastify-plugin';
import { ModelCatalog } from '../routing/model-catalog.js';
import { RouteTable } from '../routing/route-table.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The routes this gateway serves, changeable while running. */
    routeTable: RouteTable;
    /** Resolves public model names and builds routing plans over the shared target health. */
    catalog: ModelCatalog;
  }
}

export interface RoutingPluginOptions {
  config: AppConfig;
  state: GatewayState;
}

/** The routing plan stage: the route table and the catalog that plans over it. */
export const routingPlugin = fp<RoutingPluginOptions>(
  async (app, { config, state }) => {
    const routeTable = new RouteTable(config.providers, config.routes);
    const { strategy, timeouts, retries, circuit, continueStreams, hedgeAfterMs } = config.routing;
    app.decorate('routeTable', routeTable);
    const catalog = new ModelCatalog({ providers: config.providers, routeTable, state, strategy, timeouts, retries, circuit, continueStreams, hedgeAfterMs });
    app.decorate('catalog', catalog);
    // A worker's failure that opens a circuit is announced: plans stop choosing the target at once.
    const unsubscribe = app.controlChanges.subscribe((topic) => {
      if (topic === 'circuits') catalog.circuitsChanged();
    });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'ailb-routing', dependencies: ['ailb-control-changes'] },
);
