import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { GatewayError, type AppConfig, type ControlChanges, type ControlDocumentStore, type DeploymentStore, type GatewayState, type JobProducer, type KeyStore, type LedgerStore, type QueueName, type QueueStats, type RateLimitStore, type TraceStore } from '@ailb/shared';
import { InMemoryControlDocuments, InMemoryDeploymentStore, InMemoryKeyStore, InMemoryLedgerStore, InMemoryRateLimitStore, type ConfigSource } from '@ailb/shared/runtime';
import { openAIErrorBody } from '@ailb/shared/openai-chat';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ChatPipeline } from './chat/chat-pipeline.js';
import { ContextStage } from './chat/context-stage.js';
import { registerErrorEnvelope, registerNotFound } from './errors/error-envelope.js';
import { answerExpectations, clientErrorHandler, MAX_PARAM_LENGTH, registerBodyHandling, RouteMethods } from './http/http-hardening.js';
import { authPlugin } from './plugins/auth.plugin.js';
import { configControlPlugin } from './plugins/config-control.plugin.js';
import { controlChangesPlugin } from './plugins/control-changes.plugin.js';
import { deploymentPlugin } from './plugins/deployment.plugin.js';
import { dispatchPlugin } from './plugins/dispatch.plugin.js';
import { knowledgePlugin } from './plugins/knowledge.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { rateLimitPlugin } from './plugins/rate-limit.plugin.js';
import { readinessPlugin } from './plugins/readiness.plugin.js';
import { requestContextPlugin } from './plugins/request-context.plugin.js';
import { routingPlugin } from './plugins/routing.plugin.js';
import { scanningPlugin } from './plugins/scanning.plugin.js';
import { tracingPlugin } from './plugins/tracing.plugin.js';
import { adminTenantsRoutes } from './routes/admin/admin-tenants.route.js';
import { adminKeysRoutes } from './routes/admin/admin-keys.route.js';
import { registerHealthRoutes } from './routes/health.route.js';
import { openAIRoutes } from './routes/openai/openai.routes.js';
import { adminUsageRoutes, usageRoutes } from './routes/usage/usage.route.js';
import { registerRoutingStatsRoute } from './routes/routing-stats.route.js';
import { usagePlugin } from './usage/usage.plugin.js';

export interface AppDependencies {
  config: AppConfig;
  producer: JobProducer;
  state: GatewayState;
  traces: TraceStore;
  logger: Logger;
  /** Metrics of other roles in this process, served on this gateway's /metrics too. */
  extraMetrics?: readonly Registry[];
  /** This gateway's id in the cluster (heartbeats, gRPC `instance_id`). @defaultValue `<moduleId>-<random uuid>` */
  instanceId?: string;
  /** The process's graceful shutdown, for the gRPC `Shutdown` RPC (see GatewayOptions). @defaultValue close this app */
  requestShutdown?: (reason: string, deadlineMs: number) => void;
  /** Depth of a queue, when this process can read it (the embedded default's in-process queue). @defaultValue not readable */
  queueStats?: (queue: QueueName) => Promise<QueueStats>;
  /** Control-plane change notifications shared by every gateway (split mode: Redis, started). @defaultValue an in-memory bus of this app */
  controlChanges?: ControlChanges;
  /** Route overrides and UpdateConfig documents shared by every gateway (split mode: Redis). @defaultValue in memory, this app's own */
  controlDocuments?: ControlDocumentStore;
  /** Re-reads the config file and environment (Reload, SIGHUP; runService's `lifecycle.configSource`). @defaultValue none: Reload refuses */
  configSource?: ConfigSource;
  /** The config file as written that `config` came from, so GetConfig shows `${ENV}` values as written. @defaultValue {} */
  configWritten?: unknown;
  /** Control-plane rate-limit rules and token buckets (split mode: Redis). @defaultValue in memory, this app's own */
  rateLimits?: RateLimitStore;
  /** Blue/green and scaling state shared by every gateway (split mode: Redis). @defaultValue in memory, this app's own */
  deployment?: DeploymentStore;
  /** API keys created through the admin API (split mode: Redis). @defaultValue in memory, this app's own, not persisted */
  keys?: KeyStore;
  /** The cost ledger (split mode: Redis). @defaultValue in memory, this app's own, not persisted */
  ledger?: LedgerStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This gateway's id in the cluster: what gRPC callers pass as `instance_id` to address it. */
    readonly instanceId: string;
    /** Starts the graceful shutdown of what runs this gateway, bounded by `deadlineMs`; returns at once. */
    requestShutdown(reason: string, deadlineMs: number): void;
    /** Depth of a queue; null where this gateway cannot read it (split mode: workers own the queues). */
    readonly queueStats: ((queue: QueueName) => Promise<QueueStats>) | null;
  }
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
    maxParamLength: MAX_PARAM_LENGTH,
    // Errors Fastify raises before routing (a malformed percent-encoding) answer in the envelope too.
    clientErrorHandler,
    frameworkErrors: (error, _request, reply) => {
      const failure =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new GatewayError('uri_too_long', `A path parameter of the request URL is longer than this server accepts (${MAX_PARAM_LENGTH} characters).`)
          : new GatewayError('invalid_value', `The request URL could not be read: ${error.message}`);
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
  // Before any route: it learns each route's methods as they are added.
  registerNotFound(app, openAIErrorBody, new RouteMethods(app));
  // The API speaks JSON only; a text body is a 415, not a string for the validator to puzzle over.
  app.removeContentTypeParser('text/plain');
  registerBodyHandling(app, config.http.jsonMaxDepth);
  answerExpectations(app.server);

  app.decorate('instanceId', dependencies.instanceId ?? `${config.moduleId}-${randomUUID()}`);
  app.decorate('requestShutdown', dependencies.requestShutdown ?? (() => void app.close()));
  app.decorate('queueStats', dependencies.queueStats ?? null);
  await app.register(requestContextPlugin);
  await app.register(controlChangesPlugin, { changes: dependencies.controlChanges });
  await app.register(metricsPlugin, { extraRegistries: dependencies.extraMetrics ?? [] });
  // Authentication first: the rate limits that follow match `key:` and `tenant:` rules on its result.
  await app.register(authPlugin, { store: dependencies.keys ?? new InMemoryKeyStore(), auth: config.auth });
  await app.register(rateLimitPlugin, { store: dependencies.rateLimits ?? new InMemoryRateLimitStore(), configRules: config.rateLimits ?? [] });
  // Keys' `limits` are rate-limit rules (`key:<id>`) of the one mechanism, kept in step with the keys.
  const applyKeyRules = () => app.rateLimits.setKeyRules(app.apiKeys.rateLimitRules());
  applyKeyRules();
  app.apiKeys.onChange(applyKeyRules);
  await app.register(routingPlugin, { config, state });
  await app.register(dispatchPlugin, { producer, state, requestTimeoutMs: config.requestTimeoutMs });
  await app.register(readinessPlugin, { producer });
  await app.register(deploymentPlugin, { config, state, store: dependencies.deployment ?? new InMemoryDeploymentStore() });
  await app.register(tracingPlugin, { traces, successSampleRate: config.tracing.successSampleRate });
  const controlDocuments = dependencies.controlDocuments ?? new InMemoryControlDocuments();
  await app.register(configControlPlugin, { config, store: controlDocuments, source: dependencies.configSource, written: dependencies.configWritten });
  await app.register(knowledgePlugin, { producer, state, config: config.knowledge });
  await app.register(scanningPlugin, { policy: config.scanning.policy });
  await app.register(usagePlugin, { store: dependencies.ledger ?? new InMemoryLedgerStore(), documents: controlDocuments, tenantBudgets: config.tenantBudgets ?? {} });

  const context = new ContextStage(app.knowledge, config.knowledge, app.metrics);
  const pipeline = new ChatPipeline({ catalog: app.catalog, dispatcher: app.dispatcher, metrics: app.metrics, traces: app.traces, context, scan: app.scanning, ledger: app.ledger.recorder });
  await app.register(openAIRoutes, { pipeline });
  await app.register(adminKeysRoutes);
  await app.register(adminTenantsRoutes);
  await app.register(usageRoutes);
  await app.register(adminUsageRoutes);
  registerHealthRoutes(app);
  registerRoutingStatsRoute(app, { state, catalog: app.catalog, providers: config.providers, strategy: () => app.configControl.config.routing.strategy, circuit: config.routing.circuit });
  return app;
}
