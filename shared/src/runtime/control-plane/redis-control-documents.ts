import type { Redis } from 'ioredis';
import {
  CONTROL_DOCUMENT_MAX_ATTEMPTS,
  controlDocumentContention,
  type ControlDocument,
  type ControlDocumentName,
  type ControlDocumentStore,
  type ControlDocumentUpdate,
} from '../../contracts/control-plane/control-documents.js';
import { redisNames, type RedisNames } from '../../contracts/queue/names.js';

/**
 * KEYS: the document's hash. ARGV: the revision the change was computed from, `set` or `clear`, the
 * value (JSON text), the write time. Stores it (revision + 1) only if the revision is still that one;
 * returns 1 when stored.
 */
const COMPARE_AND_SET = `
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', revision + 1, 'updated_at', ARGV[4])
if ARGV[2] == 'set' then redis.call('HSET', KEYS[1], 'value', ARGV[3]) else redis.call('HDEL', KEYS[1], 'value') end
return 1
`;

type ScriptedRedis = Redis & { ailbControlDocumentSet(key: string, revision: string, operation: 'set' | 'clear', value: string, now: string): Promise<number> };

/**
 * Control-plane documents in Redis: one hash per document (revision, value, updated_at), read with one
 * HMGET and written by compare-and-set. Never on a request's path: gateways read a document when its
 * topic changes and keep it in memory.
 */
export class RedisControlDocuments implements ControlDocumentStore {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, prefix: string) {
    this.names = redisNames(prefix);
    redis.defineCommand('ailbControlDocumentSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.redis = redis as ScriptedRedis;
  }

  async read(name: ControlDocumentName): Promise<ControlDocument> {
    const [revision, value, updatedAt] = await this.redis.hmget(this.names.controlDocument(name), 'revision', 'value', 'updated_at');
    return { revision: Number(revision ?? 0), value: value ?? null, updatedAt: Number(updatedAt ?? 0) };
  }

  async update(name: ControlDocumentName, change: (current: ControlDocument) => string | null | undefined, now = Date.now()): Promise<ControlDocumentUpdate> {
    const key = this.names.controlDocument(name);
    for (let attempt = 0; attempt < CONTROL_DOCUMENT_MAX_ATTEMPTS; attempt++) {
      const before = await this.read(name);
      const value = change({ ...before });
      if (value === undefined) return { before, after: before, written: false };
      const stored = await this.redis.ailbControlDocumentSet(key, String(before.revision), value === null ? 'clear' : 'set', value ?? '', String(now));
      if (stored === 1) return { before, after: { revision: before.revision + 1, value, updatedAt: now }, written: true };
    }
    throw controlDocumentContention(name);
  }
}
