import { deletePrefix, eventually as eventuallyPasses, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUTS, redisNames, type ChatJob, type JobConsumer, type JobContext, type JobPriority, type JobProducer } from '../src/index.js';
import { BullmqJobConsumer, BullmqJobProducer, InProcessTransport } from '../src/runtime/index.js';

/*
 * Queue lanes (`chat@<version>`, blue/green's worker versions) in both transports: the jobs waiting in
 * the lane of a version whose workers left are moved back to the plain queue — each run exactly once,
 * none lost — and the queue's statistics count its lanes. BullMQ runs on the real Redis.
 */

const logger = pino({ level: 'silent' });

function chatJob(jobId: string, priority: JobPriority = 'normal', deadlineInMs = 10_000): ChatJob {
  return {
    version: 2,
    jobId,
    requestId: `req-${jobId}`,
    replyTo: 'nobody',
    deadlineAt: Date.now() + deadlineInMs,
    enqueuedAt: Date.now(),
    stream: false,
    priority,
    call: { specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    plan: { requestedModel: 'm', strategy: 'failover', targets: [{ provider: 'p', model: 'm', timeouts: DEFAULT_TIMEOUTS }], retries: DEFAULT_RETRIES },
  };
}

interface Driver {
  producer: JobProducer;
  consumer: JobConsumer;
  /** A worker of `lane` took it, then left (its consumer is closed; the lane stays known). */
  laneLeft(lane: string): Promise<void>;
  redis?: Redis;
  prefix?: string;
  close(): Promise<void>;
}

async function inProcess(): Promise<Driver> {
  const transport = new InProcessTransport(logger);
  return { producer: transport.producer, consumer: transport.consumer, laneLeft: async () => {}, close: () => transport.consumer.close() };
}

async function bullmq(): Promise<Driver> {
  const prefix = randomPrefix();
  const redis = new Redis(REDIS_URL);
  const connections: Redis[] = [redis];
  const consumer = (): BullmqJobConsumer => {
    const publisher = new Redis(REDIS_URL);
    const subscriber = new Redis(REDIS_URL);
    connections.push(publisher, subscriber);
    return new BullmqJobConsumer({ redisUrl: REDIS_URL, prefix, publisher, subscriber, logger, drainTimeoutMs: 2000, lockMs: 5000 });
  };
  const producer = new BullmqJobProducer({ redisUrl: REDIS_URL, prefix, instanceId: 'test', logger });
  await producer.start(['chat']);
  const main = consumer();
  return {
    producer,
    consumer: main,
    redis,
    prefix,
    laneLeft: async (lane) => {
      const gone = consumer();
      await gone.consume('chat', async () => {}, 1, { lane });
      await gone.close();
    },
    close: async () => {
      await main.close();
      await producer.close();
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
      await deletePrefix(prefix);
    },
  };
}

const eventually = (check: () => void | Promise<void>, timeoutMs = 5000) => eventuallyPasses(check, { timeoutMs, intervalMs: 25 });

/** A processor that records the jobs it runs (by id, in order). */
function recorder(runs: string[]) {
  return async (context: JobContext<'chat'>) => {
    runs.push(context.job.jobId);
  };
}

let driver: Driver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe.each([
  ['in-process', inProcess],
  ['BullMQ (Redis)', bullmq],
])('queue lanes: %s', (_name, start) => {
  it('moves the jobs waiting in a lane whose workers left to the plain queue; statistics count the lanes', async () => {
    driver = await start();
    const { producer, consumer } = driver;
    await driver.laneLeft('gone');
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const priorities: JobPriority[] = ['normal', 'high', 'low', 'normal', 'normal'];
    await Promise.all(ids.map((id, index) => producer.enqueue('chat', chatJob(id, priorities[index]), { priority: priorities[index]!, lane: 'gone' })));
    await producer.enqueue('chat', chatJob('plain-1'));
    // The plain queue and its lanes together.
    await eventually(async () => expect((await consumer.stats('chat')).waiting).toBe(6));
    expect((await consumer.stats('chat')).lagMs).toBeGreaterThanOrEqual(0);

    const runs: string[] = [];
    await consumer.consume('chat', recorder(runs), 4);
    await eventually(() => expect(runs).toEqual(['plain-1']));
    expect(await producer.reclaimLane('chat', 'gone')).toBe(5);
    await eventually(() => expect([...runs].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'plain-1']));
    expect(await producer.reclaimLane('chat', 'gone')).toBe(0);
    await eventually(async () => expect(await consumer.stats('chat')).toMatchObject({ waiting: 0, active: 0 }));
  });

  it('leaves a job a worker of the lane is running where it runs: every job runs once', async () => {
    driver = await start();
    const { producer, consumer } = driver;
    const laneRuns: string[] = [];
    const plainRuns: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await consumer.consume('chat', async (context) => {
      laneRuns.push(context.job.jobId);
      await released;
    }, 1, { lane: 'busy' });
    await consumer.consume('chat', recorder(plainRuns), 4);
    try {
      await producer.enqueue('chat', chatJob('first'), { lane: 'busy' });
      await eventually(() => expect(laneRuns).toEqual(['first']));
      await producer.enqueue('chat', chatJob('second'), { lane: 'busy' });
      await producer.enqueue('chat', chatJob('third'), { lane: 'busy' });
      expect((await consumer.stats('chat')).active).toBe(1);

      expect(await producer.reclaimLane('chat', 'busy')).toBe(2);
      await eventually(() => expect([...plainRuns].sort()).toEqual(['second', 'third']));
    } finally {
      // Closing the consumer waits for the running job.
      release();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(laneRuns).toEqual(['first']);
    expect(plainRuns).toHaveLength(2);
  });

  it('a job moved away from its lane can still be cancelled', async () => {
    driver = await start();
    const { producer, consumer } = driver;
    await driver.laneLeft('gone');
    await producer.enqueue('chat', chatJob('cancelled'), { lane: 'gone' });
    await producer.enqueue('chat', chatJob('kept'), { lane: 'gone' });
    expect(await producer.reclaimLane('chat', 'gone')).toBe(2);
    // The dispatcher cancels with the lane it chose; the job is in the plain queue by now.
    await producer.cancel('chat', 'cancelled', { lane: 'gone' });
    const runs: string[] = [];
    await consumer.consume('chat', recorder(runs), 2);
    await eventually(() => expect(runs).toEqual(['kept']));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toEqual(['kept']);
  });
});

describe('queue lanes: a BullMQ move cut short', () => {
  it('is finished by the next move of any lane, never running the job twice, and drops an expired one', async () => {
    driver = await bullmq();
    const { producer, consumer, redis, prefix } = driver;
    const moves = redisNames(prefix!).laneMoves;
    const entry = (job: ChatJob) => JSON.stringify({ queue: 'chat', lane: 'dead', data: JSON.stringify(job) });
    const runs: string[] = [];
    await consumer.consume('chat', recorder(runs), 2);

    // A mover took the job out of its lane (journal written) and died before adding it to the plain queue.
    await redis!.hset(moves, 'orphan', entry(chatJob('orphan')));
    await redis!.hset(moves, 'expired', entry(chatJob('expired', 'normal', -1)));
    expect(await producer.reclaimLane('chat', 'some-other-lane')).toBe(1);
    await eventually(() => expect(runs).toEqual(['orphan']));
    expect(await redis!.hlen(moves)).toBe(0);

    // A second mover finishes the same move again (the first died after adding, before clearing the entry).
    await redis!.hset(moves, 'orphan', entry(chatJob('orphan')));
    await producer.reclaimLane('chat', 'some-other-lane');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toEqual(['orphan']);
    expect(await redis!.hlen(moves)).toBe(0);
  });

  it('lets one instance move a lane at a time', async () => {
    driver = await bullmq();
    const { producer, redis, prefix } = driver;
    await redis!.set(redisNames(prefix!).laneReclaimLock('chat@held'), 'another-gateway', 'PX', 5000);
    await producer.enqueue('chat', chatJob('waits'), { lane: 'held' });
    expect(await producer.reclaimLane('chat', 'held')).toBe(0);
    await redis!.del(redisNames(prefix!).laneReclaimLock('chat@held'));
    expect(await producer.reclaimLane('chat', 'held')).toBe(1);
  });
});
