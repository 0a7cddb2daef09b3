import { tenantBudget, tenantsDocumentSchema, type ApiKeyBudget, type ControlChanges, type ControlDocumentStore, type TenantsDocument } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { TopicFollower } from '../control-plane/topic-follower.js';

export interface TenantBudgetsOptions {
  documents: ControlDocumentStore;
  changes: ControlChanges;
  /** The config file's `tenants:` budgets. */
  configured: Readonly<Record<string, ApiKeyBudget>>;
  logger: FastifyBaseLogger;
}

/** One tenant as the admin API shows it. */
export interface TenantBudgetView {
  tenant: string;
  budget: ApiKeyBudget | null;
  /** `api` when the admin API set it (overriding the file), `config` when only the file does. */
  source: 'api' | 'config';
}

/** The stored `tenants` document (absent: no admin setting). */
const parseTenants = (value: string | null): TenantsDocument => (value === null ? {} : tenantsDocumentSchema.parse(JSON.parse(value)));

/**
 * Tenant budgets as this gateway enforces them: the config file's, overridden per tenant by the
 * admin API's settings (the control-plane document `tenants`), which every gateway re-reads when the
 * `tenants` topic is published. Lookups are synchronous map reads: the request path never waits.
 */
export class TenantBudgets {
  private stored: TenantsDocument = {};
  private readonly follower: TopicFollower<TenantsDocument>;

  constructor(private readonly options: TenantBudgetsOptions) {
    this.follower = new TopicFollower({
      changes: options.changes,
      topic: 'tenants',
      what: 'tenant budgets',
      logger: options.logger,
      read: async () => {
        const document = await options.documents.read('tenants');
        return parseTenants(document.value);
      },
      apply: (stored) => {
        this.stored = stored;
      },
    });
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  close(): void {
    this.follower.close();
  }

  /** The tenant's budget in force; null when it has none. */
  budgetOf(tenant: string): ApiKeyBudget | null {
    return tenantBudget(tenant, this.options.configured, this.stored);
  }

  /** Every tenant with a setting (file or admin API), by id. */
  list(): TenantBudgetView[] {
    const tenants = new Set([...Object.keys(this.options.configured), ...Object.keys(this.stored)]);
    return [...tenants].sort().map((tenant) => this.view(tenant));
  }

  view(tenant: string): TenantBudgetView {
    return { tenant, budget: this.budgetOf(tenant), source: this.stored[tenant] !== undefined ? 'api' : 'config' };
  }

  /**
   * Sets (or, with `budget: null`, removes) a tenant's budget for every gateway: stored, published,
   * and applied here before this resolves. `reset` drops the admin setting so the file's applies again.
   */
  async set(tenant: string, change: { budget: ApiKeyBudget | null } | 'reset'): Promise<TenantBudgetView> {
    const update = await this.options.documents.update('tenants', (current) => {
      const stored: TenantsDocument = parseTenants(current.value);
      if (change === 'reset') {
        if (stored[tenant] === undefined) return undefined;
        delete stored[tenant];
      } else stored[tenant] = { budget: change.budget };
      return JSON.stringify(stored);
    });
    if (update.written) await this.options.changes.publish('tenants');
    // This gateway applies its own change before answering.
    await this.follower.refresh();
    return this.view(tenant);
  }
}
