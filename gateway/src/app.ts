import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { GatewayError, type AppConfig, type GatewayState, type JobProducer, type TraceStore } from '@ailb/shared';
import { openAIErrorBody } from '@ailb/shared/openai-chat';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ChatPipeline } from './chat/chat-pipeline.js';
import { ContextStage } from './chat/context-stage.js';
import { registerErrorEnvelope, registerNotFound } from './errors/error-envelope.js';
import { dispatchPlugin } from './plugins/dispatch.plugin.js';
import { knowledgePlugin } from './plugins/knowledge.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { requestContextPlugin } from './plugins/request-context.plugin.js';
import { routingPlugin } from './plugins/routing.plugin.js';
import { tracingPlugin } from './plugins/tracing.plugin.js';
import { registerHealthRoutes } from './routes/health.route.js';
import { openAIRoutes } from './routes/openai/openai.routes.js';
import { registerRoutingStatsRoute } from './routes/routing-stats.route.js';

export interface AppDependencies {
  config: AppConfig;
  producer: JobProducer;
  state: GatewayState;
  traces: TraceStore;
  logger: Logger;
  /** Metrics of other roles in this process, served on this gateway's /metrics too. */
  extraMetrics?: readonly Registry[];
}

/** A raw request stamped with its arrival time (performance.now()). */
export type ReceivedRequest = IncomingMessage & { ailbReceivedAt?: number };

// A client-supplied request id is echoed only when it is short and printable (it lands in logs).
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the gateway's HTTP app as a pipeline of plugins, one concern each: request context (id,
 * timing, drain gate), metrics, the routing plan, dispatch and relay, traces; then a route group per
 * wire format, each with its codec and error envelope, and the operational routes. No sockets are
 * opened here: the caller listens.
 */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, producer, state, traces, logger } = dependencies;
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
    // Session ids reach 256 characters (`/v1/memory/sessions/:id`); Fastify's default cap is 100.
    maxParamLength: 512,
    // Errors Fastify raises before routing (a malformed percent-encoding) answer in the envelope too.
    frameworkErrors: (error, _request, reply) => {
      const failure = new GatewayError('invalid_value', `The request URL could not be read: ${error.message}`);
      void (reply as unknown as { status(code: number): { send(body: unknown): unknown } }).status(failure.status).send(openAIErrorBody(failure));
    },
    // The arrival time is taken as the request leaves Node's HTTP parser, before Fastify routes it, so
    // x-ailb-overhead-ms counts the gateway's own handling too (see the request-context plugin).
    serverFactory: (handler) =>
      createServer((request, response) => {
        (request as ReceivedRequest).ailbReceivedAt = performance.now();
        handler(request, response);
      }),
  });
  // Routes outside a wire-format group (health, /api, unknown URLs) answer in OpenAI's envelope too.
  registerErrorEnvelope(app, openAIErrorBody);
  registerNotFound(app, openAIErrorBody);
  // The API speaks JSON only; a text body is a 415, not a string for the validator to puzzle over.
  app.removeContentTypeParser('text/plain');

  await app.register(requestContextPlugin);
  await app.register(metricsPlugin, { extraRegistries: dependencies.extraMetrics ?? [] });
  await app.register(routingPlugin, { config, state });
  await app.register(dispatchPlugin, { producer, state, requestTimeoutMs: config.requestTimeoutMs });
  await app.register(tracingPlugin, { traces, successSampleRate: config.tracing.successSampleRate });
  await app.register(knowledgePlugin, { producer, state, config: config.knowledge });

  const context = new ContextStage(app.knowledge, config.knowledge, app.metrics);
  const pipeline = new ChatPipeline({ catalog: app.catalog, dispatcher: app.dispatcher, metrics: app.metrics, traces: app.traces, context });
  await app.register(openAIRoutes, { pipeline });
  registerHealthRoutes(app, { producer, workers: app.dispatcher.workers, isShuttingDown: () => app.draining });
  registerRoutingStatsRoute(app, { state, catalog: app.catalog, providers: config.providers, strategy: config.routing.strategy, circuit: config.routing.circuit });
  return app;
}
