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
    const { strategy, timeouts, retries, circuit } = config.routing;
    app.decorate('routeTable', routeTable);
    app.decorate('catalog', new ModelCatalog({ providers: config.providers, routeTable, state, strategy, timeouts, retries, circuit }));
  },
  { name: 'ailb-routing' },
);
