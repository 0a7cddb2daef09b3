import { randomUUID } from 'node:crypto';
import type { AppConfig, ControlChanges, ControlDocumentStore, DeploymentStore, GatewayState, JobProducer, KeyStore, LedgerStore, QueueName, QueueStats, RateLimitStore, TraceStore } from '@ailb/shared';
import { BullmqJobProducer, BullmqQueueStats, RedisClusterState, RedisControlChanges, RedisControlDocuments, RedisDeploymentStore, RedisKeyStore, RedisLedgerStore, RedisRateLimitStore, RedisTraceStore, type ConfigSource } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildApp } from './app.js';
import { startGrpcServer, type RunningGrpcServer } from './control-plane/grpc-server.js';

/** What the edge runs on: a job producer, the cluster state it reads and where traces go. */
export interface GatewayTransport {
  producer: JobProducer;
  state: GatewayState;
  traces: TraceStore;
  /** Metrics of other roles in this process (the embedded default's embedder). */
  extraMetrics?: readonly Registry[];
  /** Control-plane change notifications, started (split mode: Redis pub/sub). @defaultValue in memory */
  controlChanges?: ControlChanges;
  /** Rate-limit rules and token buckets shared by every gateway (split mode: Redis). @defaultValue in memory */
  rateLimits?: RateLimitStore;
  /** Blue/green and scaling state shared by every gateway (split mode: Redis). @defaultValue in memory */
  deployment?: DeploymentStore;
  /** Route overrides and UpdateConfig documents shared by every gateway (split mode: Redis). @defaultValue in memory */
  controlDocuments?: ControlDocumentStore;
  /** API keys created through the admin API (split mode: Redis; the embedded default: memory persisted to keys.json). @defaultValue in memory, not persisted */
  keys?: KeyStore;
  /** The cost ledger shared by every gateway (split mode: Redis). @defaultValue in memory */
  ledger?: LedgerStore;
  /** Depth of a queue, lanes included (the in-process queue, or BullMQ's in split mode). @defaultValue not readable: no queue_* metrics */
  queueStats?: (queue: QueueName) => Promise<QueueStats>;
}

/** How the gateway is run, besides what it runs on. */
export interface GatewayOptions {
  /** This gateway's id in the cluster (gRPC `instance_id`, heartbeats). @defaultValue `<moduleId>-<random uuid>` */
  instanceId?: string;
  /**
   * What the gRPC `Shutdown` RPC calls: the process's shutdown path (runService's
   * `lifecycle.requestShutdown`: drain, close, exit, bounded by the deadline). @defaultValue close this gateway, without exiting
   */
  requestShutdown?: (reason: string, deadlineMs: number) => void;
  /** Re-reads the config file and environment for Reload and SIGHUP (runService's `lifecycle.configSource`). @defaultValue none: Reload refuses */
  configSource?: ConfigSource;
  /** The config file as written (runService's `lifecycle.configWritten`), so GetConfig shows `${ENV}` values as written. */
  configWritten?: unknown;
}

export interface RunningGateway {
  app: FastifyInstance;
  /** The address the HTTP server listens on. */
  url: string;
  /** `host:port` of the ModuleService (gRPC) listener, dialable from this machine. */
  grpcAddress: string;
  /** Re-reads the configuration and applies what can change while running (SIGHUP, the Reload RPC); rejects, changing nothing, when refused. */
  reload(): Promise<string>;
  /** Stops intake, finishes in-flight requests, then releases what the gateway opened. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP app over a transport and listens. `close` closes the app (new requests get 503,
 * in-flight ones finish) and then runs `release`, which owns the transport's connections.
 */
export async function startGateway(
  config: AppConfig,
  logger: Logger,
  transport: GatewayTransport,
  release: () => Promise<void> = async () => {},
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const requestShutdown = options.requestShutdown ?? ((reason: string) => {
    logger.info({ reason }, 'shutdown requested: closing this gateway');
    void close();
  });
  const app = await buildApp({ config, logger, ...transport, requestShutdown, ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }), configSource: options.configSource, configWritten: options.configWritten });
  let grpc: RunningGrpcServer | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Both listeners stop intake together; gRPC streams end, in-flight calls and requests finish.
      const grpcClosed = grpc?.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the gRPC server failed'));
      await app.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the HTTP server failed'));
      await grpcClosed;
      await release();
    })();
    return closing;
  };
  try {
    const url = await app.listen({ host: config.http.host, port: config.http.port });
    grpc = await startGrpcServer({ app, config: config.grpc });
    app.deployment.announcer.setGrpcAddress(grpc.address);
    // Logged once both listeners are up: process supervisors and tests wait for this line.
    if (!app.apiKeys.required) {
      logger.warn({ url }, 'OPEN GATEWAY: no API key and no AILB_MASTER_KEY are configured, so anyone who can reach this address can call /v1/* (and spend your provider credit). Set AILB_MASTER_KEY and create keys with POST /admin/keys, or declare keys: in the config file.');
    }
    logger.info({ url, grpc: grpc.address, instanceId: app.instanceId, queue: config.redis.url ? 'bullmq' : 'in-process', providers: config.providers.map((provider) => provider.id), auth: app.apiKeys.required, admin: app.apiKeys.adminEnabled }, 'AILB gateway listening');
    return { app, url, grpcAddress: grpc.address, close, reload: () => app.configControl.reload() };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The edge of split mode: BullMQ producer, cluster state and traces in the Redis at `REDIS_URL`. Every
 * connection opened is released by `close`, also when the start fails half-way.
 */
export async function startRedisGateway(config: AppConfig, logger: Logger, options: GatewayOptions = {}): Promise<RunningGateway> {
  const redisUrl = config.redis.url;
  if (!redisUrl) throw new Error('REDIS_URL: required to run a gateway in split mode');
  // One id for the producer's heartbeats and the gRPC `instance_id`, so callers can address this gateway.
  const instanceId = options.instanceId ?? `${config.moduleId}-${randomUUID()}`;
  const producer = new BullmqJobProducer({ redisUrl, prefix: config.redis.prefix, instanceId, logger });
  // Auto-pipelining batches the trace writes and health reads issued in the same tick.
  const stateRedis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
  stateRedis.on('error', (error) => logger.warn({ err: error }, 'state connection error'));
  const controlChanges = new RedisControlChanges(stateRedis, redisUrl, config.redis.prefix, logger);
  // The chat queue's depth for the metrics RPCs: read from BullMQ, as the workers that own it do.
  const queueStats = new BullmqQueueStats({ redisUrl, prefix: config.redis.prefix, redis: stateRedis, logger });
  const release = async () => {
    await controlChanges.close();
    await queueStats.close();
    await Promise.allSettled([producer.close(), stateRedis.quit().catch(() => stateRedis.disconnect())]);
  };
  try {
    await producer.start(['chat', 'knowledge', 'context', 'memory']);
    if (stateRedis.status !== 'ready') await new Promise<void>((resolve) => stateRedis.once('ready', () => resolve()));
    await controlChanges.start();
  } catch (error) {
    await release();
    throw error;
  }
  const state = new RedisClusterState(stateRedis, config.redis.prefix, config.routing);
  const traces = new RedisTraceStore(stateRedis, config.redis.prefix);
  const rateLimits = new RedisRateLimitStore(stateRedis, config.redis.prefix);
  const deployment = new RedisDeploymentStore(stateRedis, config.redis.prefix);
  const controlDocuments = new RedisControlDocuments(stateRedis, config.redis.prefix);
  const keys = new RedisKeyStore(stateRedis, config.redis.prefix);
  const ledger = new RedisLedgerStore(stateRedis, config.redis.prefix);
  return startGateway(config, logger, { producer, state, traces, controlChanges, rateLimits, deployment, controlDocuments, keys, ledger, queueStats: (queue) => queueStats.stats(queue) }, release, { ...options, instanceId });
}
