import { GatewayError, isTenantId, NANO_USD_PER_USD, tenantAccount, tenantSettingsSchema } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import type { TenantBudgetView } from '../../usage/tenant-budgets.js';
import { parseBody, requireMasterKey } from './admin-keys.route.js';

/** The tenant id of a path, or 400 naming it. */
function tenantParam(value: string): string {
  if (!isTenantId(value)) throw new GatewayError('invalid_value', `tenant: "${value}" is not a tenant id (1-64 letters, digits, ".", "_" or "-").`, { param: 'tenant' });
  return value;
}

/**
 * The admin API of tenant budgets (master key): `GET /admin/tenants` (every tenant with a budget
 * setting), `GET /admin/tenants/{tenant}`, `PUT /admin/tenants/{tenant}` `{ budget: {usd, period} | null }`
 * (overrides the config file's entry; null: no budget) and `DELETE /admin/tenants/{tenant}` (drops
 * the admin setting: the file's entry, if any, applies again). Answers carry the spend of the
 * budget's current period as this gateway knows it (at most a second old).
 */
export async function adminTenantsRoutes(app: FastifyInstance): Promise<void> {
  requireMasterKey(app);
  const { tenants, budgets } = app.ledger;

  const present = async (view: TenantBudgetView) => {
    const spent = view.budget === null ? null : (await budgets.spentNanos(tenantAccount(view.tenant), view.budget.period)) / NANO_USD_PER_USD;
    return { object: 'tenant', tenant: view.tenant, budget: view.budget, source: view.source, spent_usd: spent };
  };

  app.get('/admin/tenants', async () => ({ object: 'list', data: await Promise.all(tenants.list().map(present)) }));

  app.get<{ Params: { tenant: string } }>('/admin/tenants/:tenant', async (request) => present(tenants.view(tenantParam(request.params.tenant))));

  app.put<{ Params: { tenant: string } }>('/admin/tenants/:tenant', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    const settings = parseBody(tenantSettingsSchema, request.body);
    const view = await tenants.set(tenant, settings);
    request.log.info({ tenant, budget: settings.budget }, 'tenant budget set');
    return present(view);
  });

  app.delete<{ Params: { tenant: string } }>('/admin/tenants/:tenant', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    const view = await tenants.set(tenant, 'reset');
    request.log.info({ tenant }, 'tenant budget setting removed');
    return present(view);
  });
}
