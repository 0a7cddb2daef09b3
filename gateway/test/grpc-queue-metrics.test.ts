import type { JobContext } from '@ailb/shared';
import { BullmqJobConsumer, BullmqJobProducer, RedisClusterState } from '@ailb/shared/runtime';
import { createModuleServiceClient, deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * queue_* metrics of a split-mode gateway: the chat queue lives in BullMQ (real Redis) and belongs to
 * the workers, yet GetMetrics and GetStats report its depth, summed over the plain queue and the
 * version lanes (`chat@<version>`) workers registered.
 */
const logger = pino({ level: 'silent' });
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A worker stand-in on the BullMQ queue (or one lane of it): holds every job until released, then answers it. */
async function heldConsumer(prefix: string, lane?: string) {
  const publisher = new Redis(REDIS_URL);
  const subscriber = new Redis(REDIS_URL);
  const consumer = new BullmqJobConsumer({ redisUrl: REDIS_URL, prefix, publisher, subscriber, logger, drainTimeoutMs: 2000, lockMs: 10_000 });
  const jobs: JobContext<'chat'>['job'][] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await consumer.consume('chat', async (context) => {
    jobs.push(context.job);
    await released;
    await context.reply({ kind: 'result', servedBy: { provider: 'p', model: 'm', upstreamMs: 1 }, attempts: [], result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, response: { modelId: 'm' } } });
  }, 1, lane === undefined ? {} : { lane });
  cleanups.push(async () => {
    release();
    await consumer.close();
    publisher.disconnect();
    subscriber.disconnect();
  });
  return { jobs, release };
}

describe('queue metrics of a split-mode gateway', () => {
  it('report the chat queue’s waiting and active jobs and its lag, version lanes included', { timeout: 30_000 }, async () => {
    const prefix = randomPrefix();
    cleanups.push(() => deletePrefix(prefix));
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.disconnect());
    const config = testAppConfig({ redis: { url: REDIS_URL, prefix }, requestTimeoutMs: 20_000 });
    await new RedisClusterState(redis, prefix, config.routing).heartbeat('worker', 'worker-1');
    const gateway = await startRedisGateway(config, logger);
    cleanups.push(() => gateway.close());
    const client = createModuleServiceClient(gateway.grpcAddress);
    cleanups.push(() => client.close());

    const queue = async () => Object.fromEntries((await client.GetMetrics({ metric_names: ['queue_waiting', 'queue_active', 'queue_lag_ms'] })).metrics!.metrics.map((point) => [point.name, point.value]));
    expect(await queue()).toEqual({ queue_waiting: 0, queue_active: 0, queue_lag_ms: 0 });

    // The plain queue: one job held by a worker (active), two waiting behind it.
    const plain = await heldConsumer(prefix);
    const chat = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    const answers = [chat()];
    await expect.poll(() => plain.jobs.length, { timeout: 10_000 }).toBe(1);
    answers.push(chat(), chat());
    // Lane v2, registered by its worker: one job it holds, one waiting.
    await heldConsumer(prefix, 'v2');
    const producer = new BullmqJobProducer({ redisUrl: REDIS_URL, prefix, instanceId: 'test-producer', logger });
    cleanups.push(() => producer.close());
    await producer.start([]);
    for (const jobId of ['lane-1', 'lane-2']) await producer.enqueue('chat', { ...plain.jobs[0]!, jobId }, { lane: 'v2' });

    await expect.poll(queue, { timeout: 10_000 }).toMatchObject({ queue_waiting: 3, queue_active: 2 });
    expect((await queue()).queue_lag_ms).toBeGreaterThan(0);
    const { stats } = await client.GetStats({});
    expect(stats!.custom_stats).toMatchObject({ queue_waiting: '3', queue_active: '2' });

    plain.release();
    for (const answer of answers) expect((await answer).status).toBe(200);
  });
});
