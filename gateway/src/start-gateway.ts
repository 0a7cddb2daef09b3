import { randomUUID } from 'node:crypto';
import type { AppConfig, GatewayState, JobProducer, TraceStore } from '@ailb/shared';
import { BullmqJobProducer, RedisClusterState, RedisTraceStore } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildApp } from './app.js';

/** What the edge runs on: a job producer, the cluster state it reads and where traces go. */
export interface GatewayTransport {
  producer: JobProducer;
  state: GatewayState;
  traces: TraceStore;
  /** Metrics of other roles in this process (the embedded default's embedder). */
  extraMetrics?: readonly Registry[];
}

export interface RunningGateway {
  app: FastifyInstance;
  /** The address the HTTP server listens on. */
  url: string;
  /** Stops intake, finishes in-flight requests, then releases what the gateway opened. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP app over a transport and listens. `close` closes the app (new requests get 503,
 * in-flight ones finish) and then runs `release`, which owns the transport's connections.
 */
export async function startGateway(config: AppConfig, logger: Logger, transport: GatewayTransport, release: () => Promise<void> = async () => {}): Promise<RunningGateway> {
  const app = await buildApp({ config, logger, ...transport });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the HTTP server failed'));
      await release();
    })();
    return closing;
  };
  try {
    const url = await app.listen({ host: config.http.host, port: config.http.port });
    logger.info({ url, queue: config.redis.url ? 'bullmq' : 'in-process', providers: config.providers.map((provider) => provider.id) }, 'AILB gateway listening');
    return { app, url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The edge of split mode: BullMQ producer, cluster state and traces in the Redis at `REDIS_URL`. Every
 * connection opened is released by `close`, also when the start fails half-way.
 */
export async function startRedisGateway(config: AppConfig, logger: Logger): Promise<RunningGateway> {
  const redisUrl = config.redis.url;
  if (!redisUrl) throw new Error('REDIS_URL: required to run a gateway in split mode');
  const producer = new BullmqJobProducer({ redisUrl, prefix: config.redis.prefix, instanceId: `${config.moduleId}-${randomUUID()}`, logger });
  // Auto-pipelining batches the trace writes and health reads issued in the same tick.
  const stateRedis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
  stateRedis.on('error', (error) => logger.warn({ err: error }, 'state connection error'));
  const release = async () => {
    await Promise.allSettled([producer.close(), stateRedis.quit().catch(() => stateRedis.disconnect())]);
  };
  try {
    await producer.start(['chat', 'knowledge', 'context', 'memory']);
    if (stateRedis.status !== 'ready') await new Promise<void>((resolve) => stateRedis.once('ready', () => resolve()));
  } catch (error) {
    await release();
    throw error;
  }
  const state = new RedisClusterState(stateRedis, config.redis.prefix, config.routing);
  const traces = new RedisTraceStore(stateRedis, config.redis.prefix);
  return startGateway(config, logger, { producer, state, traces }, release);
}
