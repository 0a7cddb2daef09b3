import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiKey, type ApiKeyRecord, type KeyStore } from '../src/index.js';
import { InMemoryKeyStore, RedisKeyStore } from '../src/runtime/index.js';

/*
 * The KeyStore contract, run against both implementations: Redis (split mode) and memory persisted to
 * keys.json (the embedded default). Only hashes are stored; a replaced secret stops finding its key.
 */
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
const directories: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(prefix);
  await redis.quit();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const record = (id: string, secret: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  name: `key ${id}`,
  tenant: 'acme',
  models: null,
  limits: { requests_per_minute: 5 },
  budget: { usd: 10, period: 'daily' },
  scanPolicy: 'redact',
  hash: hashApiKey(secret),
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  revokedAt: null,
  source: 'api',
  ...extra,
});

const temporaryFile = () => {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-keys-'));
  directories.push(directory);
  return join(directory, 'nested', 'keys.json');
};

const stores: Array<[string, () => KeyStore]> = [
  ['memory', () => new InMemoryKeyStore({ file: temporaryFile() })],
  [
    'redis',
    () => {
      const prefix = randomPrefix();
      prefixes.push(prefix);
      return new RedisKeyStore(redis, prefix);
    },
  ],
];

describe.each(stores)('KeyStore (%s)', (_name, makeStore) => {
  it('stores, lists in id order, finds by hash and moves the hash on a new secret', async () => {
    const store = makeStore();
    expect(await store.list()).toEqual([]);
    await store.put(record('kb', 'secret-b'));
    await store.put(record('ka', 'secret-a'));
    expect((await store.list()).map((key) => key.id)).toEqual(['ka', 'kb']);
    expect(await store.get('ka')).toEqual(record('ka', 'secret-a'));
    expect(await store.get('nope')).toBeUndefined();
    expect((await store.findByHash(hashApiKey('secret-b')))?.id).toBe('kb');
    expect(await store.findByHash(hashApiKey('secret-x'))).toBeUndefined();

    await store.put(record('kb', 'secret-b2'));
    expect(await store.findByHash(hashApiKey('secret-b'))).toBeUndefined();
    expect((await store.findByHash(hashApiKey('secret-b2')))?.id).toBe('kb');

    await store.put(record('ka', 'secret-a', { revokedAt: 1_700_000_001_000 }));
    expect((await store.findByHash(hashApiKey('secret-a')))?.revokedAt).toBe(1_700_000_001_000);
    expect(await store.list()).toHaveLength(2);
    await store.close();
    await store.close();
  });

  it('keeps every write of concurrent puts', async () => {
    const store = makeStore();
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.put(record(`k${String(index).padStart(2, '0')}`, `secret-${index}`))));
    expect(await store.list()).toHaveLength(20);
    for (let index = 0; index < 20; index++) expect((await store.findByHash(hashApiKey(`secret-${index}`)))?.id).toBe(`k${String(index).padStart(2, '0')}`);
  });
});

describe('InMemoryKeyStore persistence', () => {
  it('survives a restart through keys.json, written atomically with hashes only', async () => {
    const file = temporaryFile();
    const first = new InMemoryKeyStore({ file });
    await first.put(record('ka', 'the-secret-value'));
    await first.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('the-secret-value');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = new InMemoryKeyStore({ file });
    expect(await second.list()).toEqual([record('ka', 'the-secret-value')]);
    expect((await second.findByHash(hashApiKey('the-secret-value')))?.id).toBe('ka');
  });

  it('refuses a file it cannot read instead of starting without the keys', async () => {
    const file = temporaryFile();
    const store = new InMemoryKeyStore({ file });
    await store.put(record('ka', 's'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{ not json');
    expect(() => new InMemoryKeyStore({ file })).toThrow(/not valid JSON/);
  });
});
