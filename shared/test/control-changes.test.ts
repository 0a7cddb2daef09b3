import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_TOPICS, type ControlChanges, type ControlTopic } from '../src/index.js';
import { InMemoryControlChanges, RedisControlChanges } from '../src/runtime/index.js';

/*
 * Both drivers of the change bus: a publish reaches every subscriber (the publisher included), after
 * the writer's call has returned, and nothing arrives after close.
 */
const received = (bus: ControlChanges) => {
  const topics: ControlTopic[] = [];
  bus.subscribe((topic) => topics.push(topic));
  return topics;
};
const until = async (check: () => boolean, ms = 2000) => {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('control changes', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('in memory: delivers asynchronously to every listener, then nothing after close', async () => {
    const bus = new InMemoryControlChanges();
    const first = received(bus);
    const second = received(bus);
    const publishing = bus.publish('routes');
    expect(first).toEqual([]);
    await publishing;
    expect(first).toEqual(['routes']);
    expect(second).toEqual(['routes']);
    await bus.close();
    await bus.publish('config');
    expect(first).toEqual(['routes']);
  });

  it('over Redis: a publish from one instance reaches every instance, the publisher included', async () => {
    const prefix = randomPrefix();
    const publisherA = new Redis(REDIS_URL);
    const publisherB = new Redis(REDIS_URL);
    const a = new RedisControlChanges(publisherA, REDIS_URL, prefix);
    const b = new RedisControlChanges(publisherB, REDIS_URL, prefix);
    const other = new RedisControlChanges(publisherB, REDIS_URL, randomPrefix());
    cleanups.push(() => deletePrefix(prefix), () => publisherA.quit(), () => publisherB.quit(), () => a.close(), () => b.close(), () => other.close());
    const atA = received(a);
    const atB = received(b);
    const atOther = received(other);
    await Promise.all([a.start(), b.start(), other.start()]);
    // Connecting announces every topic once (a reconnect may have missed changes).
    await until(() => atA.length === CONTROL_TOPICS.length && atB.length === CONTROL_TOPICS.length && atOther.length === CONTROL_TOPICS.length);
    atA.length = 0;
    atB.length = 0;
    atOther.length = 0;
    await a.publish('rate-limits');
    await b.publish('deployment');
    await until(() => atA.length === 2 && atB.length === 2);
    expect(atA).toEqual(['rate-limits', 'deployment']);
    expect(atB).toEqual(['rate-limits', 'deployment']);
    expect(atOther).toEqual([]);
    await a.close();
    await a.close();
    await b.publish('routes');
    await until(() => atB.length === 3);
    expect(atA).toEqual(['rate-limits', 'deployment']);
  });

  it('over Redis: re-announces every topic each resync period, so a lost message is made good', async () => {
    const prefix = randomPrefix();
    const publisher = new Redis(REDIS_URL);
    const bus = new RedisControlChanges(publisher, REDIS_URL, prefix, undefined, { resyncMs: 150 });
    cleanups.push(() => publisher.quit(), () => bus.close());
    const topics = received(bus);
    await bus.start();
    // One announcement on connecting, then one per period, with nothing published.
    await until(() => topics.length >= 3 * CONTROL_TOPICS.length);
    expect(topics.filter((topic) => topic === 'rate-limits').length).toBeGreaterThanOrEqual(3);
    await bus.close();
    const seen = topics.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(topics.length).toBe(seen);
  });

  it('over Redis: a publish that fails twice is logged and does not throw (the change is already stored)', async () => {
    // A closed connection: every command is refused.
    const publisher = new Redis(REDIS_URL);
    await publisher.quit();
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args), error: () => {} } as unknown as ConstructorParameters<typeof RedisControlChanges>[3];
    const bus = new RedisControlChanges(publisher, REDIS_URL, randomPrefix(), logger, { publishRetryMs: 10 });
    cleanups.push(() => bus.close());
    await expect(bus.publish('routes')).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
