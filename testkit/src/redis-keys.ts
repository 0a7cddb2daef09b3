import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A random key prefix per test, so tests sharing one Redis never see each other's queues. */
export function randomPrefix(): string {
  return `ailb-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under a prefix (BullMQ's and AILB's own). */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Counts keys under a prefix (to prove cleanup). */
export async function countKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    return (await redis.keys(`${prefix}:*`)).length;
  } finally {
    await redis.quit();
  }
}
