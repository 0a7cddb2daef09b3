import { randomUUID } from 'node:crypto';
import { GatewayError, type AppConfig, type GatewayState, type JobProducer, type TraceStore } from '@ailb/shared';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerErrorHandling } from './errors/error-handler.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';
import { registerChatCompletionsRoute } from './routes/chat-completions.route.js';
import { registerHealthRoutes } from './routes/health.route.js';
import { registerModelsRoute } from './routes/models.route.js';
import { registerRoutingStatsRoute } from './routes/routing-stats.route.js';
import { registerRoutingTraceRoute } from './routes/routing-trace.route.js';
import { ModelCatalog } from './routing/model-catalog.js';
import { WorkerAvailability } from './state/worker-availability.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived; the base of x-ailb-overhead-ms. */
    receivedAt: number;
  }
}

export interface AppDependencies {
  config: AppConfig;
  producer: JobProducer;
  state: GatewayState;
  traces: TraceStore;
  logger: Logger;
}

// A client-supplied request id is echoed only when it is short and printable (it lands in logs).
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the gateway's HTTP app. No sockets are opened here: `main.ts` listens. */
export function buildApp(dependencies: AppDependencies): FastifyInstance {
  const { config, producer, state, traces, logger } = dependencies;
  let shuttingDown = false;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (request) => {
      const supplied = request.headers['x-request-id'];
      return typeof supplied === 'string' && CLIENT_REQUEST_ID.test(supplied) ? supplied : `req_${randomUUID().replaceAll('-', '')}`;
    },
    // Per-request access logs would cost more than the request at high rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
  });
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', async (request, reply) => {
    request.receivedAt = performance.now();
    reply.header('x-request-id', request.id);
    if (shuttingDown) throw new GatewayError('shutting_down', 'This gateway instance is shutting down; retry on another instance.', { retryAfterMs: 1000 });
  });
  let idleSweeper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    shuttingDown = true;
    // server.close() closes only the connections idle at that instant; a keep-alive connection whose
    // stream finishes later would hold shutdown for the keep-alive timeout. Sweep until closed.
    idleSweeper = setInterval(() => app.server.closeIdleConnections(), 100);
    idleSweeper.unref();
  });
  app.addHook('onClose', async () => {
    shuttingDown = true;
    clearInterval(idleSweeper);
  });
  registerErrorHandling(app);
  // The API speaks JSON only; a text body is a 415, not a string for the validator to puzzle over.
  app.removeContentTypeParser('text/plain');

  const metrics = new GatewayMetrics();
  metrics.register(app);
  const { strategy, timeouts, retries, circuit } = config.routing;
  const catalog = new ModelCatalog({ providers: config.providers, routes: config.routes, state, strategy, timeouts, retries, circuit });
  const workers = new WorkerAvailability(state);
  registerChatCompletionsRoute(app, { catalog, producer, workers, metrics, traces, requestTimeoutMs: config.requestTimeoutMs });
  registerRoutingTraceRoute(app, traces);
  registerModelsRoute(app, catalog);
  registerHealthRoutes(app, { producer, workers, isShuttingDown: () => shuttingDown });
  registerRoutingStatsRoute(app, { state, catalog, providers: config.providers, strategy, circuit });
  return app;
}
