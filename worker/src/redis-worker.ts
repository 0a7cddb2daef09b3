import type { AppConfig } from '@ailb/shared';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { BullmqJobConsumer, RedisClusterState, startOpsHttp, type OpsHttp } from '@ailb/shared/runtime';
import { createProviders } from './providers/provider-registry.js';
import { processMetricsRegistry } from './observability/process-metrics.js';
import { configuredTargets, WorkerMetrics } from './observability/worker-metrics.js';
import { WorkerRuntime } from './worker-runtime.js';

export interface RedisWorker {
  runtime: WorkerRuntime;
  close(): Promise<void>;
}

/** Wires a worker for split mode: BullMQ consumer, Redis state and reply connections. */
export async function startRedisWorker(config: AppConfig, logger: Logger): Promise<RedisWorker> {
  const redisUrl = config.redis.url;
  if (!redisUrl) throw new Error('REDIS_URL: required to run a worker in split mode');
  // Auto-pipelining batches a reply and the stats update issued in the same tick into one write.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  publisher.on('error', (error) => logger.warn({ err: error }, 'redis publisher error'));
  subscriber.on('error', (error) => logger.warn({ err: error }, 'redis subscriber error'));
  const providers = createProviders(config.providers);
  const consumer = new BullmqJobConsumer({ redisUrl, prefix: config.redis.prefix, publisher, subscriber, logger, drainTimeoutMs: config.requestTimeoutMs, lockMs: config.worker.lockMs });
  const state = new RedisClusterState(publisher, config.redis.prefix, config.routing);
  // Without METRICS_PORT nothing could read them: execution is not told about attempts at all.
  const metrics = config.metrics ? new WorkerMetrics({ consumer, circuits: { health: state, policy: config.routing.circuit, targets: configuredTargets(config) } }) : undefined;
  const runtime = new WorkerRuntime({
    consumer,
    state,
    ...(metrics ? { observer: metrics } : {}),
    providers,
    providerConfigs: config.providers,
    concurrency: config.worker.concurrency,
    logger,
    version: config.deployment.version,
    // Gateways re-read live worker versions every second: a little longer, and none still sends to this lane.
    stoppingNoticeMs: 1500,
  });
  let http: OpsHttp | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await http?.close();
      await runtime.close();
      // quit() fails while Redis is down; disconnect() then stops the reconnect loop.
      await Promise.allSettled([publisher, subscriber].map((client) => client.quit().catch(() => client.disconnect())));
    })();
    return closing;
  };
  try {
    if (config.metrics && metrics) {
      const registry = Registry.merge([metrics.registry, processMetricsRegistry()]);
      http = await startOpsHttp({ host: config.metrics.host, port: config.metrics.port, registry, logger, listeningMessage: 'worker metrics listening' });
    }
    await runtime.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { runtime, close };
}
