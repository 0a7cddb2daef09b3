import { z } from 'zod';
import { apiKeyBudgetSchema, TENANT_ID_PATTERN, tenantIdSchema, type ApiKeyBudget } from './api-keys.js';

/*
 * Tenant budgets: a USD budget per UTC day or month shared by every API key of one tenant (requests
 * without a key are tenant `default`). Declared in the config file (`tenants:`) or set through the
 * admin API (`PUT /admin/tenants/{tenant}`), which overrides the file's entry for that tenant; the
 * admin API's settings live in the control-plane document `tenants` and reach every gateway within
 * a second (topic `tenants`).
 */

/** One tenant's settings. `budget: null` means no budget (an admin setting can remove the file's). */
export const tenantSettingsSchema = z.strictObject({
  budget: apiKeyBudgetSchema.nullable(),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;


/** The config file's `tenants:` map: tenant id → `{ budget: { usd, period } }`. */
export const tenantsFileSchema = z.record(tenantIdSchema, z.strictObject({ budget: apiKeyBudgetSchema.optional() }));

/** The control-plane document `tenants` (admin API settings), by tenant id. */
export const tenantsDocumentSchema = z.record(tenantIdSchema, tenantSettingsSchema);
export type TenantsDocument = z.infer<typeof tenantsDocumentSchema>;

/** True when `value` is a valid tenant id. */
export const isTenantId = (value: string): boolean => TENANT_ID_PATTERN.test(value);

/**
 * The spend account of a tenant in the ledger's per-period spend hashes, next to key ids (which
 * cannot contain `:`, so the two never collide).
 */
export const tenantAccount = (tenant: string): string => `tenant:${tenant}`;

/** What decides a tenant's budget: the admin API's setting if any, else the config file's. */
export function tenantBudget(tenant: string, configured: Readonly<Record<string, ApiKeyBudget>>, stored: TenantsDocument): ApiKeyBudget | null {
  const setting = stored[tenant];
  if (setting !== undefined) return setting.budget;
  return configured[tenant] ?? null;
}
