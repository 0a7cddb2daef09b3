import { randomUUID } from 'node:crypto';
import { ConfigError, noProvidersError, type AppConfig, type ClusterStateReader, type JobProducer, type TraceStore } from '@ailb/shared';
import { startSimulatedProvider } from '@ailb/testkit';
import { createProviders, startRedisWorker, WorkerRuntime } from '@ailb/worker';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { InMemoryClusterState } from './embedded/in-memory-cluster-state.js';
import { InMemoryTraceStore } from './embedded/in-memory-trace-store.js';
import { InProcessTransport } from './embedded/in-process-transport.js';
import { BullmqJobProducer } from './queue/bullmq-job-producer.js';
import { RedisClusterStateReader } from './state/redis-cluster-state-reader.js';
import { RedisTraceStore } from './state/redis-trace-store.js';

/** `all`: gateway and worker in one process (the default). `gateway`: the edge only (split mode). */
export type Role = 'all' | 'gateway';

/** The model name the embedded demo serves when no provider is configured. */
export const DEMO_MODEL = 'ailb-demo';

export interface RunningServer {
  app: FastifyInstance;
  /** The address the HTTP server listens on. */
  url: string;
  config: AppConfig;
  /** Stops intake, drains in-flight requests and jobs, closes connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the gateway for a role. With REDIS_URL the queue is BullMQ (split mode, or `all` with a worker
 * inside); without it, `all` runs over the in-process queue. Cleanup steps are registered as they are
 * created, so a start that fails half-way still releases what it opened.
 */
export async function startServer(baseConfig: AppConfig, logger: Logger, role: Role): Promise<RunningServer> {
  const cleanups: Array<() => Promise<unknown>> = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    })();
    return closing;
  };
  try {
    let config = baseConfig;
    if (config.demo) {
      if (role !== 'all') throw noProvidersError();
      const simulator = await startSimulatedProvider({ models: [DEMO_MODEL], tokensPerSecond: 50 });
      cleanups.push(() => simulator.close());
      config = { ...config, providers: [{ id: 'demo', type: 'openai', base_url: `${simulator.url}/v1`, api_key: 'demo-key', models: [DEMO_MODEL], default_max_tokens: 4096 }] };
      logger.warn({ model: DEMO_MODEL, simulator: simulator.url }, `No provider configured: serving the demo model "${DEMO_MODEL}" from AILB's built-in simulated provider. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL or AILB_CONFIG to use real providers.`);
    }

    let producer: JobProducer;
    let state: ClusterStateReader;
    let traces: TraceStore;
    if (config.redis.url) {
      const bullmq = new BullmqJobProducer({ redisUrl: config.redis.url, prefix: config.redis.prefix, instanceId: `${config.moduleId}-${randomUUID()}`, logger });
      cleanups.push(() => bullmq.close());
      await bullmq.start();
      // Auto-pipelining batches the per-request trace writes and health reads issued in the same tick.
      const stateRedis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
      stateRedis.on('error', (error) => logger.warn({ err: error }, 'state connection error'));
      cleanups.push(() => stateRedis.quit().catch(() => stateRedis.disconnect()));
      if (stateRedis.status !== 'ready') await new Promise<void>((resolve) => stateRedis.once('ready', () => resolve()));
      producer = bullmq;
      state = new RedisClusterStateReader(stateRedis, config.redis.prefix);
      traces = new RedisTraceStore(stateRedis, config.redis.prefix);
      if (role === 'all') {
        const worker = await startRedisWorker(config, logger);
        cleanups.push(() => worker.close());
      }
    } else {
      if (role !== 'all') throw new ConfigError('REDIS_URL: required for --role=gateway (split mode)');
      const transport = new InProcessTransport(logger);
      const memory = new InMemoryClusterState(config.routing.circuit, config.routing.ewmaAlpha);
      const runtime = new WorkerRuntime({
        consumer: transport.consumer,
        state: memory,
        providers: createProviders(config.providers),
        providerConfigs: config.providers,
        concurrency: config.worker.concurrency,
        logger,
      });
      cleanups.push(() => transport.producer.close());
      cleanups.push(() => runtime.close());
      await runtime.start();
      producer = transport.producer;
      state = memory;
      traces = new InMemoryTraceStore();
    }

    const app = buildApp({ config, producer, state, traces, logger });
    // Registered last so it runs first: stop intake and finish in-flight HTTP before workers drain.
    cleanups.push(() => app.close());
    const url = await app.listen({ host: config.http.host, port: config.http.port });
    logger.info({ url, role, queue: config.redis.url ? 'bullmq' : 'in-process', providers: config.providers.map((provider) => provider.id) }, 'AILB gateway listening');
    return { app, url, config, close };
  } catch (error) {
    await close();
    throw error;
  }
}
