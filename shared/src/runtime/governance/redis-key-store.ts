import type { Redis } from 'ioredis';
import type { ApiKeyRecord } from '../../contracts/governance/api-keys.js';
import type { KeyStore } from '../../contracts/governance/key-store.js';

/**
 * KEYS: records hash (id → JSON), hash index (secret hash → id). ARGV: id, record JSON, new secret
 * hash. Replaces the record and moves its index entry in one step, so a rotated secret stops finding
 * the key at the same instant the new one starts to.
 */
const PUT = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
  local old = cjson.decode(previous)
  if old.hash and old.hash ~= ARGV[3] then redis.call('HDEL', KEYS[2], old.hash) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
return 1
`;

type ScriptedRedis = Redis & { ailbKeyPut(records: string, index: string, id: string, record: string, hash: string): Promise<number> };

/**
 * API keys in Redis: one hash of records by id and one index from secret hash (SHA-256) to id. Only
 * hashes are stored. Gateways read the list when the `keys` topic changes, never per request.
 */
export class RedisKeyStore implements KeyStore {
  private readonly redis: ScriptedRedis;
  private readonly recordsKey: string;
  private readonly indexKey: string;

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('ailbKeyPut', { numberOfKeys: 2, lua: PUT });
    this.redis = redis as ScriptedRedis;
    this.recordsKey = `${prefix}:api-keys`;
    this.indexKey = `${prefix}:api-keys:by-hash`;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const all = await this.redis.hgetall(this.recordsKey);
    return Object.values(all)
      .map((text) => JSON.parse(text) as ApiKeyRecord)
      .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const text = await this.redis.hget(this.recordsKey, id);
    return text === null ? undefined : (JSON.parse(text) as ApiKeyRecord);
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const id = await this.redis.hget(this.indexKey, hash);
    return id === null ? undefined : this.get(id);
  }

  async put(record: ApiKeyRecord): Promise<void> {
    await this.redis.ailbKeyPut(this.recordsKey, this.indexKey, record.id, JSON.stringify(record), record.hash);
  }

  /** The connection belongs to the caller. */
  async close(): Promise<void> {}
}
