import type { ApiKeyBudget, ControlDocumentStore, LedgerStore } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BudgetGuard } from './budget-guard.js';
import { LedgerRecorder } from './ledger-recorder.js';
import { TenantBudgets } from './tenant-budgets.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The cost ledger: where chat attempts are billed, and the store the usage endpoints read. */
    ledger: { store: LedgerStore; recorder: LedgerRecorder; budgets: BudgetGuard; tenants: TenantBudgets };
  }
}

export interface UsagePluginOptions {
  store: LedgerStore;
  /** Where the admin API's tenant budgets are kept (the control-plane document `tenants`). */
  documents: ControlDocumentStore;
  /** The config file's tenant budgets. @defaultValue none */
  tenantBudgets?: Readonly<Record<string, ApiKeyBudget>>;
  /** Budget spend is re-read at most this often per key or tenant. @defaultValue 1000 */
  budgetRefreshMs?: number;
}

/**
 * The cost ledger and budgets. Chat requests whose key or tenant has a budget are refused with 429
 * `insufficient_quota` once its spend in the period reaches it (checked after authentication, before
 * the body is decoded); requests with neither pass with no work done. Needs the routing plugin
 * (prices come from the model catalog), the auth plugin (the key) and the metrics plugin (cost).
 */
export const usagePlugin = fp<UsagePluginOptions>(
  async (app, { store, documents, tenantBudgets, budgetRefreshMs }) => {
    const tenants = new TenantBudgets({ documents, changes: app.controlChanges, configured: tenantBudgets ?? {}, logger: app.log });
    await tenants.start();
    const budgets = new BudgetGuard({ store, logger: app.log, tenantBudget: (tenant) => tenants.budgetOf(tenant), ...(budgetRefreshMs === undefined ? {} : { refreshMs: budgetRefreshMs }) });
    const recorder = new LedgerRecorder({
      store,
      budgets,
      logger: app.log,
      priceOf: (model, provider, target) => app.catalog.priceOf(model, provider, target),
      onBilled: (entry) => app.metrics.recordCost(entry.model, entry.provider, entry.costNanoUsd),
    });
    app.decorate('ledger', { store, recorder, budgets, tenants });
    // Pending entries are written before the store's connection is released (onClose runs in reverse order of registration).
    app.addHook('onClose', async () => {
      tenants.close();
      await recorder.flush();
      await store.close();
    });

    app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
      if (request.routeOptions.url !== '/v1/chat/completions') return done();
      const check = budgets.check(request.apiKey, request.tenant);
      if (check === undefined) return done();
      check.then(() => done(), done);
    });
  },
  { name: 'ailb-usage', dependencies: ['ailb-auth', 'ailb-routing', 'ailb-control-changes', 'ailb-metrics'] },
);
