import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { GatewayMetrics } from '../observability/gateway-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

/** Prometheus metrics of this gateway: the registry, the HTTP counter on every answer, `GET /metrics`. */
export const metricsPlugin = fp<{ extraRegistries?: readonly Registry[] }>(
  async (app, { extraRegistries = [] }) => {
    const metrics = new GatewayMetrics();
    app.decorate('metrics', metrics);
    metrics.register(app, extraRegistries);
  },
  { name: 'ailb-metrics' },
);
