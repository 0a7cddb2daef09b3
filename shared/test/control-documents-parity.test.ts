import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRouteOverrides, serializeRouteOverrides, type ControlDocument, type ControlDocumentStore } from '../src/index.js';
import { InMemoryControlDocuments, RedisControlDocuments } from '../src/runtime/index.js';

/*
 * The Redis store (a compare-and-set script) and the in-memory store of the embedded default agree:
 * the same writes give the same revisions and values, a refused change writes nothing, and writers
 * racing on one document each get their change applied exactly once, on top of each other.
 */
async function replay(store: ControlDocumentStore): Promise<Array<ControlDocument | string>> {
  const seen: Array<ControlDocument | string> = [await store.read('route-overrides')];
  const set = (value: string | null, now: number) => store.update('route-overrides', () => value, now).then((update) => update.after);
  seen.push(await set(serializeRouteOverrides([{ model: 'gone', priority: 0 }]), 1000));
  seen.push(await set(serializeRouteOverrides([{ model: 'smart', priority: 5, route: { model: 'smart', targets: [{ provider: 'p', model: 'm', priority: 0, weight: 1 }], fallbacks: [] } }]), 2000));
  // Nothing to write: no revision spent.
  seen.push((await store.update('route-overrides', () => undefined, 3000)).after);
  // A refusal writes nothing.
  seen.push(
    await store.update('route-overrides', () => { throw new Error('refused'); }, 4000).then(
      () => 'written',
      (error: Error) => error.message,
    ),
  );
  seen.push(await store.read('route-overrides'));
  seen.push(await set(null, 5000));
  // Documents are independent.
  seen.push(await store.read('config'));
  seen.push(await store.update('config', () => '{"routing":{"strategy":"failover"}}', 6000).then((update) => update.after));
  return seen;
}

/** Ten writers append to one list at once: every append lands once, in some order. */
async function race(store: ControlDocumentStore): Promise<{ revision: number; items: string[] }> {
  await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      store.update('config', (current) => JSON.stringify([...(JSON.parse(current.value ?? '[]') as string[]), `writer-${index}`])),
    ),
  );
  const { revision, value } = await store.read('config');
  return { revision, items: (JSON.parse(value!) as string[]).sort() };
}

describe('control documents: Redis and in-memory stores agree', () => {
  const prefix = randomPrefix();
  const racePrefix = randomPrefix();
  let redis: Redis;
  let replayed: Array<Array<ControlDocument | string>>;
  let raced: Array<{ revision: number; items: string[] }>;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const stores = [new RedisControlDocuments(redis, prefix), new InMemoryControlDocuments()];
    replayed = await Promise.all(stores.map(replay));
    raced = [];
    for (const store of [new RedisControlDocuments(redis, racePrefix), new InMemoryControlDocuments()]) raced.push(await race(store));
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
    await deletePrefix(racePrefix);
  });

  it('replays the same history to the same documents', () => {
    expect(replayed[0]).toEqual(replayed[1]);
    expect(replayed[0]).toEqual([
      { revision: 0, value: null, updatedAt: 0 },
      { revision: 1, value: '{"overrides":[{"model":"gone","priority":0}]}', updatedAt: 1000 },
      { revision: 2, value: expect.stringContaining('"smart"'), updatedAt: 2000 },
      { revision: 2, value: expect.stringContaining('"smart"'), updatedAt: 2000 },
      'refused',
      { revision: 2, value: expect.stringContaining('"smart"'), updatedAt: 2000 },
      { revision: 3, value: null, updatedAt: 5000 },
      { revision: 0, value: null, updatedAt: 0 },
      { revision: 1, value: '{"routing":{"strategy":"failover"}}', updatedAt: 6000 },
    ]);
  });

  it('applies racing writers exactly once each', () => {
    expect(raced[0]).toEqual(raced[1]);
    expect(raced[0]).toEqual({ revision: 10, items: Array.from({ length: 10 }, (_, index) => `writer-${index}`).sort() });
  });

  it('reads stored route overrides back, and refuses a document it cannot read', () => {
    const stored = (replayed[0]![2] as ControlDocument).value;
    expect(parseRouteOverrides(stored)).toEqual([{ model: 'smart', priority: 5, route: { model: 'smart', targets: [{ provider: 'p', model: 'm', priority: 0, weight: 1 }], fallbacks: [] } }]);
    expect(parseRouteOverrides(null)).toEqual([]);
    expect(parseRouteOverrides('{"overrides":[{"name":"x"}]}')).toBeUndefined();
    expect(parseRouteOverrides('not json')).toBeUndefined();
  });
});
