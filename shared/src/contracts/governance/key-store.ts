import type { ApiKeyRecord } from './api-keys.js';

/**
 * The API keys created through the admin API, shared by every gateway (Redis in split mode; memory,
 * persisted to `keys.json` under AILB_DATA_DIR, in the embedded default). Never on a request's path:
 * gateways read the whole list when the `keys` control topic changes and look keys up in memory.
 * Config-file keys are not stored here.
 */
export interface KeyStore {
  /** Every stored key, revoked ones included, ordered by id. */
  list(): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** The key whose secret hashes to `hash` (hex SHA-256), revoked or not. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Creates or replaces the key of `record.id`; a replaced secret hash no longer finds it. */
  put(record: ApiKeyRecord): Promise<void>;
  /** Releases what the store holds (pending writes finish first). Idempotent. */
  close(): Promise<void>;
}
