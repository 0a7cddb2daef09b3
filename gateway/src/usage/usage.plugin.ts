import type { LedgerStore } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BudgetGuard } from './budget-guard.js';
import { LedgerRecorder } from './ledger-recorder.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The cost ledger: where chat attempts are billed, and the store the usage endpoints read. */
    ledger: { store: LedgerStore; recorder: LedgerRecorder; budgets: BudgetGuard };
  }
}

export interface UsagePluginOptions {
  store: LedgerStore;
  /** Budget spend is re-read at most this often per key. @defaultValue 1000 */
  budgetRefreshMs?: number;
}

/**
 * The cost ledger and budgets. Chat requests of a key with a budget are refused with 429
 * `insufficient_quota` once the key's spend in the period reaches it (checked after authentication,
 * before the body is decoded); keys without a budget pass with no work done. Needs the routing
 * plugin (prices come from the model catalog) and the auth plugin (the key).
 */
export const usagePlugin = fp<UsagePluginOptions>(
  async (app, { store, budgetRefreshMs }) => {
    const budgets = new BudgetGuard({ store, logger: app.log, ...(budgetRefreshMs === undefined ? {} : { refreshMs: budgetRefreshMs }) });
    const recorder = new LedgerRecorder({ store, budgets, logger: app.log, priceOf: (model, provider, target) => app.catalog.priceOf(model, provider, target) });
    app.decorate('ledger', { store, recorder, budgets });
    // Pending entries are written before the store's connection is released (onClose runs in reverse order of registration).
    app.addHook('onClose', async () => {
      await recorder.flush();
      await store.close();
    });

    app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
      const key = request.apiKey;
      if (key === undefined || key.budget === null || request.routeOptions.url !== '/v1/chat/completions') return done();
      budgets.check(key)!.then(() => done(), done);
    });
  },
  { name: 'ailb-usage', dependencies: ['ailb-auth', 'ailb-routing'] },
);
