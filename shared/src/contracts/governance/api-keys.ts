import { createHash } from 'node:crypto';
import { z } from 'zod';
import { scanPolicySchema, type ScanPolicy } from '../scanning/scan-policy.js';

/*
 * Virtual API keys: who may call AILB's `/v1/*` API, as which tenant, for which models, with which
 * limits. A key's secret is never stored: only its SHA-256 (`hash`), which is also how a request's key
 * is found. Keys come from the admin API (stored in the cluster's KeyStore) or from the config file.
 */

/** Key ids: letters, digits, `_` and `-`, so they fit rate-limit targets (`key:<id>`) and Redis key parts. */
export const API_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Tenant ids, with the same alphabet (they become `tenant:<id>` rate-limit targets). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** A tenant id, as every key, config entry and tenant setting spells it. */
export const tenantIdSchema = z.string().regex(TENANT_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"');

/** The hex SHA-256 of a key's secret: what is stored and looked up. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Request and token limits of one key: they become the rate-limit rule `key:<id>` (one mechanism with
 * every other rule). Token limits count chat requests' model tokens (estimate reserved, then settled).
 */
export const apiKeyLimitsSchema = z.strictObject({
  requests_per_second: z.number().int().min(0).max(1_000_000_000).optional(),
  requests_per_minute: z.number().int().min(0).max(1_000_000_000).optional(),
  requests_per_hour: z.number().int().min(0).max(1_000_000_000).optional(),
  requests_per_day: z.number().int().min(0).max(1_000_000_000).optional(),
  tokens_per_second: z.number().int().min(0).max(1_000_000_000).optional(),
  tokens_per_minute: z.number().int().min(0).max(1_000_000_000).optional(),
  tokens_per_hour: z.number().int().min(0).max(1_000_000_000).optional(),
  tokens_per_day: z.number().int().min(0).max(1_000_000_000).optional(),
});
export type ApiKeyLimits = z.infer<typeof apiKeyLimitsSchema>;

/** A spending budget in USD per UTC day or month: once the cost ledger shows it spent, the key gets 429 `insufficient_quota`. */
export const apiKeyBudgetSchema = z.strictObject({
  usd: z.number().gt(0),
  period: z.enum(['daily', 'monthly']),
});
export type ApiKeyBudget = z.infer<typeof apiKeyBudgetSchema>;


/** Where a key is declared: `api` keys can be changed through the admin API, `config` keys only in the file. */
export type ApiKeySource = 'api' | 'config';

/** One key as stored (no secret: its hash). Times are epoch milliseconds. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  tenant: string;
  /** Public model names the key may use; null: every model. */
  models: string[] | null;
  limits: ApiKeyLimits | null;
  budget: ApiKeyBudget | null;
  scanPolicy: ScanPolicy | null;
  /** Hex SHA-256 of the secret. */
  hash: string;
  createdAt: number;
  /** Past this instant the key is refused; null: never expires. */
  expiresAt: number | null;
  /** When it was revoked (DELETE); a revoked key stays listed and never works again. */
  revokedAt: number | null;
  source: ApiKeySource;
}

const timestampSchema = z.union([
  z.number().int().min(0).transform((seconds) => seconds * 1000),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

/** `POST /admin/keys`. */
export const createApiKeySchema = z.strictObject({
  name: z.string().min(1).max(200),
  tenant: tenantIdSchema,
  models: z.array(z.string().min(1)).min(1).nullish(),
  limits: apiKeyLimitsSchema.nullish(),
  budget: apiKeyBudgetSchema.nullish(),
  scan_policy: scanPolicySchema.nullish(),
  /** Unix seconds or an ISO 8601 date-time. */
  expires_at: timestampSchema.nullish(),
});
export type CreateApiKey = z.output<typeof createApiKeySchema>;

/** `PATCH /admin/keys/{id}`: any subset; `null` clears an optional field. */
export const updateApiKeySchema = createApiKeySchema.partial();
export type UpdateApiKey = z.output<typeof updateApiKeySchema>;

/** True when the key cannot be used now (revoked or expired). */
export function isKeyUsable(record: ApiKeyRecord, now = Date.now()): boolean {
  return record.revokedAt === null && (record.expiresAt === null || record.expiresAt > now);
}

/** The key as the admin API shows it: never the hash, never the secret. Times in Unix seconds (OpenAI's habit). */
export function apiKeyView(record: ApiKeyRecord, now = Date.now()): Record<string, unknown> {
  const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));
  return {
    id: record.id,
    object: 'api_key',
    name: record.name,
    tenant: record.tenant,
    models: record.models,
    limits: record.limits,
    budget: record.budget,
    scan_policy: record.scanPolicy,
    created_at: seconds(record.createdAt),
    expires_at: seconds(record.expiresAt),
    revoked_at: seconds(record.revokedAt),
    status: record.revokedAt !== null ? 'revoked' : isKeyUsable(record, now) ? 'active' : 'expired',
    source: record.source,
  };
}
