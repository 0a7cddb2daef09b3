import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@ailb/shared';
import { BullmqJobConsumer, BullmqJobProducer, RedisClusterState, startOpsHttp, type OpsHttp } from '@ailb/shared/runtime';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { EmbedderRuntime } from './embedder-runtime.js';

export interface RedisEmbedder {
  runtime: EmbedderRuntime;
  /** Where its /metrics, /healthz and /readyz are served (METRICS_HOST:METRICS_PORT when set, else HTTP_HOST:HTTP_PORT). */
  httpUrl: string;
  close(): Promise<void>;
}

/** Wires an embedder for split mode: BullMQ consumer and producer, Redis state. */
export async function startRedisEmbedder(config: AppConfig, logger: Logger): Promise<RedisEmbedder> {
  const redisUrl = config.redis.url;
  if (!redisUrl) throw new Error('REDIS_URL: required to run an embedder in split mode');
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  publisher.on('error', (error) => logger.warn({ err: error }, 'redis publisher error'));
  subscriber.on('error', (error) => logger.warn({ err: error }, 'redis subscriber error'));
  const producer = new BullmqJobProducer({ redisUrl, prefix: config.redis.prefix, instanceId: `embedder-${randomUUID()}`, logger });
  const runtime = new EmbedderRuntime({
    consumer: new BullmqJobConsumer({ redisUrl, prefix: config.redis.prefix, publisher, subscriber, logger, drainTimeoutMs: 30_000, lockMs: config.worker.lockMs }),
    producer,
    state: new RedisClusterState(publisher, config.redis.prefix, config.routing),
    config: config.knowledge,
    providers: config.providers,
    logger,
    version: config.deployment.version,
    address: () => (http ? new URL(http.url).host : ''),
  });
  let started = false;
  let http: OpsHttp | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await http?.close();
      await runtime.close();
      await producer.close();
      await Promise.allSettled([publisher, subscriber].map((client) => client.quit().catch(() => client.disconnect())));
    })();
    return closing;
  };
  try {
    const listen = config.metrics ?? config.http;
    http = await startOpsHttp({ host: listen.host, port: listen.port, registry: runtime.metrics.registry, ready: () => started, logger, listeningMessage: 'embedder metrics and health listening' });
    await producer.start(['ingest']);
    await runtime.start();
    started = true;
  } catch (error) {
    await close();
    throw error;
  }
  return { runtime, httpUrl: http.url, close };
}
