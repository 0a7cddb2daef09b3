import fp from 'fastify-plugin';
import { GatewayMetrics } from '../observability/gateway-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

/** Prometheus metrics of this gateway: the registry, the HTTP counter on every answer, `GET /metrics`. */
export const metricsPlugin = fp(
  async (app) => {
    const metrics = new GatewayMetrics();
    app.decorate('metrics', metrics);
    metrics.register(app);
  },
  { name: 'ailb-metrics' },
);
