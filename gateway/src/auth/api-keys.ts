import { configKeyRecord, GatewayError, hashApiKey, isKeyUsable, type ApiKeyRecord, type ConfigKey, type ControlChanges, type CreateApiKey, type KeyStore, type RateLimitRule, type UpdateApiKey } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { TopicFollower } from '../control-plane/topic-follower.js';
import { keyLimitRule } from './key-rate-limits.js';
import { newKeyId, newKeySecret, presentedKey, sameHash, sameSecret } from './key-secrets.js';
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiKeysOptions {
  store: KeyStore;
  changes: ControlChanges;
  /** Keys of the config file (secrets already hashed). */
  configKeys: readonly ConfigKey[];
  /** `AILB_MASTER_KEY`; undefined: the admin API is off. */
  masterKey: string | undefined;
  logger: FastifyBaseLogger;
  /** Delay before re-reading keys after a failed read. @defaultValue 1000 */
  retryMs?: number;
}

/** What checking a presented key found. */
export type KeyCheck = { record: ApiKeyRecord } | { error: GatewayError };

/** Who a request's headers name: anyone (no key is required), the master key, a usable key, or the 401 to answer. */
export type CallerIdentity = { caller: 'anyone' } | { caller: 'master' } | { caller: 'key'; record: ApiKeyRecord } | { caller: 'refused'; error: GatewayError };

const INVALID = 'Incorrect API key provided. Create keys with POST /admin/keys (master key) or declare them under `keys:` in the config file.';

/**
 * The API keys of the deployment as this gateway sees them: config-file keys plus the stored ones,
 * cached by secret hash and re-read whenever any gateway publishes the `keys` topic (a revoked key
 * stops working everywhere within the notification's latency). Checking a request's key is a hash
 * and a map look-up, never a store read. Writes go to the store, then are published.
 */
export class ApiKeys {
  private byHash = new Map<string, ApiKeyRecord>();
  private storedCount = 0;
  private readonly listeners = new Set<() => void>();

  private readonly follower: TopicFollower<ApiKeyRecord[]>;

  constructor(private readonly options: ApiKeysOptions) {
    this.rebuild([]);
    this.follower = new TopicFollower({
      changes: options.changes,
      topic: 'keys',
      read: () => options.store.list(),
      apply: (stored) => this.rebuild(stored),
      logger: options.logger,
      what: 'API keys',
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    });
  }

  /** Reads the stored keys (a failure fails the start) and follows changes from then on. */
  async start(): Promise<void> {
    await this.follower.start();
  }

  /**
   * Whether `/v1/*` needs a key: once any key exists (config or store, revoked ones included, so
   * revoking the last key never reopens the gateway) or a master key is set.
   */
  get required(): boolean {
    return this.options.masterKey !== undefined || this.byHash.size > 0;
  }

  /** True when the admin API is on. */
  get adminEnabled(): boolean {
    return this.options.masterKey !== undefined;
  }

  /** Whether `presented` is the master key (constant time). */
  isMasterKey(presented: string): boolean {
    return this.options.masterKey !== undefined && sameSecret(presented, this.options.masterKey);
  }

  /**
   * Who the request's `Authorization` / `x-api-key` header names, checked in constant time; `missing`
   * is the 401's message when keys are required and none was presented.
   */
  identify(headers: IncomingHttpHeaders, missing: string): CallerIdentity {
    if (!this.required) return { caller: 'anyone' };
    const presented = presentedKey(headers);
    if (presented === undefined) return { caller: 'refused', error: new GatewayError('invalid_api_key', missing) };
    if (this.isMasterKey(presented)) return { caller: 'master' };
    const checked = this.check(presented);
    return 'error' in checked ? { caller: 'refused', error: checked.error } : { caller: 'key', record: checked.record };
  }

  /** The usable key whose secret is `presented`, or the 401 to answer. */
  check(presented: string, now = Date.now()): KeyCheck {
    const hash = hashApiKey(presented);
    const record = this.byHash.get(hash);
    if (record === undefined || !sameHash(record.hash, hash)) return { error: new GatewayError('invalid_api_key', INVALID) };
    if (record.revokedAt !== null) return { error: new GatewayError('invalid_api_key', `API key ${record.id} has been revoked.`) };
    if (!isKeyUsable(record, now)) return { error: new GatewayError('invalid_api_key', `API key ${record.id} has expired.`) };
    return { record };
  }

  /** The rate-limit rules the keys' `limits` make (target `key:<id>`). */
  rateLimitRules(): RateLimitRule[] {
    return [...this.byHash.values()].map(keyLimitRule).filter((rule): rule is RateLimitRule => rule !== undefined);
  }

  /** Calls `listener` after every change of the cached keys. Returns the function that removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every key, config-file ones first, read fresh from the store. */
  async list(): Promise<ApiKeyRecord[]> {
    return [...this.options.configKeys.map(configKeyRecord), ...(await this.options.store.list())];
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const configKey = this.options.configKeys.find((key) => key.id === id);
    return configKey ? configKeyRecord(configKey) : this.options.store.get(id);
  }

  /** Creates a key; the secret is returned here and never again. */
  async create(input: CreateApiKey, now = Date.now()): Promise<{ record: ApiKeyRecord; secret: string }> {
    let id = newKeyId();
    while (this.options.configKeys.some((key) => key.id === id) || (await this.options.store.get(id)) !== undefined) id = newKeyId();
    const secret = newKeySecret(id);
    const record: ApiKeyRecord = {
      id,
      name: input.name,
      tenant: input.tenant,
      models: input.models ?? null,
      limits: input.limits ?? null,
      budget: input.budget ?? null,
      scanPolicy: input.scan_policy ?? null,
      hash: hashApiKey(secret),
      createdAt: now,
      expiresAt: input.expires_at ?? null,
      revokedAt: null,
      source: 'api',
    };
    await this.write(record);
    return { record, secret };
  }

  /** Changes the given fields of a stored key (`null` clears an optional one). */
  async update(id: string, patch: UpdateApiKey): Promise<ApiKeyRecord> {
    const record = await this.stored(id, 'changed');
    const next: ApiKeyRecord = {
      ...record,
      ...(patch.name == null ? {} : { name: patch.name }),
      ...(patch.tenant == null ? {} : { tenant: patch.tenant }),
      ...(patch.models === undefined ? {} : { models: patch.models }),
      ...(patch.limits === undefined ? {} : { limits: patch.limits }),
      ...(patch.budget === undefined ? {} : { budget: patch.budget }),
      ...(patch.scan_policy === undefined ? {} : { scanPolicy: patch.scan_policy }),
      ...(patch.expires_at === undefined ? {} : { expiresAt: patch.expires_at }),
    };
    await this.write(next);
    return next;
  }

  /** Revokes a stored key for good (it stays listed as revoked). Revoking twice keeps the first time. */
  async revoke(id: string, now = Date.now()): Promise<ApiKeyRecord> {
    const record = await this.stored(id, 'revoked');
    if (record.revokedAt !== null) return record;
    const next = { ...record, revokedAt: now };
    await this.write(next);
    return next;
  }

  /** Gives a stored key a new secret; the old one stops working on every gateway. */
  async rotate(id: string): Promise<{ record: ApiKeyRecord; secret: string }> {
    const record = await this.stored(id, 'rotated');
    if (record.revokedAt !== null) throw new GatewayError('invalid_value', `API key ${id} is revoked; create a new key instead.`, { param: 'id' });
    const secret = newKeySecret(id);
    const next = { ...record, hash: hashApiKey(secret) };
    await this.write(next);
    return { record: next, secret };
  }

  /** Stops following changes. Idempotent. */
  close(): void {
    this.follower.close();
  }

  /** A key of the store, or the 404 / 409 (config-file keys are changed in the file). */
  private async stored(id: string, action: string): Promise<ApiKeyRecord> {
    if (this.options.configKeys.some((key) => key.id === id)) {
      throw new GatewayError('key_managed_by_config', `API key ${id} is declared in the config file (keys:) and cannot be ${action} through the admin API; change the file and restart.`, { param: 'id' });
    }
    const record = await this.options.store.get(id);
    if (record === undefined) throw new GatewayError('not_found', `No API key with id "${id}".`, { param: 'id' });
    return record;
  }

  private async write(record: ApiKeyRecord): Promise<void> {
    await this.options.store.put(record);
    await this.options.changes.publish('keys');
    // This gateway applies its own change before answering, so the caller can use the key at once.
    await this.follower.refresh();
  }

  private rebuild(stored: readonly ApiKeyRecord[]): void {
    const byHash = new Map<string, ApiKeyRecord>();
    for (const record of stored) byHash.set(record.hash, record);
    // A config key wins a (practically impossible) hash clash: the file is the operator's word.
    for (const key of this.options.configKeys) byHash.set(key.hash, configKeyRecord(key));
    this.byHash = byHash;
    this.storedCount = stored.length;
    for (const listener of this.listeners) listener();
  }

  /** Number of keys in the store, as last read (for the start-up log). */
  get storedKeys(): number {
    return this.storedCount;
  }


}
