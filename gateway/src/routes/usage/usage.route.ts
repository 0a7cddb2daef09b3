import { API_KEY_ID_PATTERN, TENANT_ID_PATTERN } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireMasterKey } from '../admin/admin-keys.route.js';
import { dayRange, groupRows, parseQuery, sumRows, totalsView, usageQuerySchema } from './usage-query.js';

const callerQuery = usageQuerySchema({ scope: z.enum(['key', 'tenant']).optional() });
const adminQuery = usageQuerySchema({ key_id: z.string().regex(API_KEY_ID_PATTERN, 'must be an API key id').optional(), tenant: z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id').optional() });

/**
 * `GET /v1/usage`: the caller's own usage from the cost ledger — tokens, cost and requests by UTC day
 * and public model, for `start`..`end` (default: the last 30 days). A key sees its own usage
 * (`scope=tenant`: its whole tenant's); without a key (open gateway, master key) the tenant bound to
 * the request (`default`). Never another tenant's.
 */
export async function usageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/v1/usage', async (request) => {
    const query = parseQuery(callerQuery, request.query);
    const range = dayRange(query);
    const byKey = request.keyId !== undefined && query.scope !== 'tenant';
    const rows = await app.ledger.store.usage({ ...range, tenant: request.tenant, ...(byKey ? { keyId: request.keyId } : {}) });
    return {
      object: 'usage',
      ...range,
      key_id: byKey ? request.keyId : null,
      tenant: request.tenant,
      totals: totalsView(sumRows(rows)),
      data: groupRows(rows, (row) => ({ date: row.date, model: row.model })),
    };
  });
}

/** `GET /admin/usage` (master key): every key's and tenant's usage by UTC day, key, tenant and model; filters `key_id`, `tenant`. */
export async function adminUsageRoutes(app: FastifyInstance): Promise<void> {
  requireMasterKey(app);
  app.get('/admin/usage', async (request) => {
    const query = parseQuery(adminQuery, request.query);
    const range = dayRange(query);
    const rows = await app.ledger.store.usage({ ...range, keyId: query.key_id, tenant: query.tenant });
    return {
      object: 'usage',
      ...range,
      totals: totalsView(sumRows(rows)),
      data: groupRows(rows, (row) => ({ date: row.date, key_id: row.keyId, tenant: row.tenant, model: row.model })),
    };
  });
}
