import { z } from 'zod';
import { API_KEY_ID_PATTERN, apiKeyLimitsSchema, hashApiKey, tenantIdSchema, type ApiKeyRecord } from './api-keys.js';

/**
 * One entry of the config file's `keys:` list. The secret is given either hashed
 * (`key_hash: "sha256:<hex>"`) or as `key: "${ENV}"` (hashed at load; the plaintext is not kept).
 * Config keys are listed by the admin API with `source: config` and cannot be changed through it.
 */
export const configKeyFileSchema = z
  .strictObject({
    id: z.string().regex(API_KEY_ID_PATTERN, 'must be 1-64 letters, digits, "_" or "-"'),
    name: z.string().min(1).optional(),
    tenant: tenantIdSchema,
    models: z.array(z.string().min(1)).min(1).optional(),
    limits: apiKeyLimitsSchema.optional(),
    key_hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" followed by 64 lower-case hex digits').optional(),
    key: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((entry, context) => {
    if ((entry.key === undefined) === (entry.key_hash === undefined)) {
      context.addIssue({ code: 'custom', path: ['key_hash'], message: 'give exactly one of key_hash ("sha256:<hex>") and key ("${ENV}")' });
    }
  });
export type ConfigKeyFileEntry = z.infer<typeof configKeyFileSchema>;

/** The `keys:` list: ids unique. */
export const configKeysFileSchema = z.array(configKeyFileSchema).superRefine((entries, context) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate key id "${entry.id}"` });
    seen.add(entry.id);
  });
});

/** A config-file key as resolved: the secret is already hashed. */
export const configKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  tenant: z.string(),
  models: z.array(z.string()).nullable(),
  limits: apiKeyLimitsSchema.nullable(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ConfigKey = z.infer<typeof configKeySchema>;

/** Resolves validated `keys:` entries; a plaintext `key` is hashed here and dropped. */
export function resolveConfigKeys(entries: readonly ConfigKeyFileEntry[] | undefined): ConfigKey[] {
  return (entries ?? []).map((entry) => ({
    id: entry.id,
    name: entry.name ?? entry.id,
    tenant: entry.tenant,
    models: entry.models ?? null,
    limits: entry.limits ?? null,
    hash: entry.key_hash !== undefined ? entry.key_hash.slice('sha256:'.length) : hashApiKey(entry.key!),
  }));
}

/** The stored-record form of a config key (never revoked, never expires). */
export function configKeyRecord(key: ConfigKey): ApiKeyRecord {
  return { ...key, budget: null, scanPolicy: null, createdAt: 0, expiresAt: null, revokedAt: null, source: 'config' };
}

/** A config key as the config document renders it: hashed, never the secret. */
export function renderConfigKey(key: ConfigKey): ConfigKeyFileEntry {
  return {
    id: key.id,
    name: key.name,
    tenant: key.tenant,
    ...(key.models === null ? {} : { models: key.models }),
    ...(key.limits === null ? {} : { limits: key.limits }),
    key_hash: `sha256:${key.hash}`,
  };
}
