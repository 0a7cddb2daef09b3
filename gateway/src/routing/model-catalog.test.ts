import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type ProviderConfig, type RouteConfig } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { ModelCatalog, type ModelCatalogOptions } from './model-catalog.js';
import { RouteTable } from './route-table.js';

const provider = (id: string, type: ProviderConfig['type'], models?: string[]): ProviderConfig => ({
  id,
  type,
  ...(type === 'ollama' ? { base_url: 'http://127.0.0.1:11434' } : { api_key: 'k' }),
  ...(models ? { models } : {}),
  default_max_tokens: 4096,
});
const target = (providerId: string, model: string, extra: { priority?: number; weight?: number } = {}) => ({ provider: providerId, model, priority: 0, weight: 1, ...extra });
const route = (model: string, targets: RouteConfig['targets'], extra: Partial<RouteConfig> = {}): RouteConfig => ({ model, targets, fallbacks: [], ...extra });
const order = (plan: { targets: Array<{ provider: string; model: string }> }) => plan.targets.map((entry) => `${entry.provider}:${entry.model}`);

const providers = [provider('oa', 'openai', ['gpt-4o', 'gpt-4o-mini', 'shared']), provider('an', 'anthropic', ['claude-sonnet-4-5', 'shared']), provider('ol', 'ollama')];

function catalog(options: Partial<ModelCatalogOptions> & { routes?: RouteConfig[] } = {}) {
  const state = new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 });
  const { routes = [], ...rest } = options;
  const routeTable = new RouteTable(providers, routes);
  return { state, routeTable, catalog: new ModelCatalog({ providers, routeTable, state, strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: DEFAULT_RETRIES, circuit: DEFAULT_CIRCUIT, random: () => 0.99, ...rest }) };
}

describe('ModelCatalog', () => {
  it('serves plain names from every deployment listing them, id/model from one, discovered lists included', async () => {
    const { state, catalog: models } = catalog();
    await state.setDiscoveredModels('ol', ['llama3.2', 'shared']);
    expect(await models.plan('shared', { claimId: 'test' })).toEqual({
      requestedModel: 'shared',
      strategy: 'failover',
      targets: [
        { provider: 'oa', model: 'shared', timeouts: DEFAULT_TIMEOUTS },
        { provider: 'an', model: 'shared', timeouts: DEFAULT_TIMEOUTS },
        { provider: 'ol', model: 'shared', timeouts: DEFAULT_TIMEOUTS },
      ],
      retries: DEFAULT_RETRIES,
    });
    expect(order(await models.plan('an/shared', { claimId: 'test' }))).toEqual(['an:shared']);
    expect(order(await models.plan('ol/llama3.2', { claimId: 'test' }))).toEqual(['ol:llama3.2']);
    await expect(models.plan('gpt-5', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found', param: 'model' });
    await expect(models.plan('an/gpt-4o', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found', param: 'model' });
  });

  it("carries each target's time limits, a route target's own keys over routing.timeouts", async () => {
    const smart = route('smart', [target('oa', 'gpt-4o'), target('an', 'claude')]);
    smart.targets[1]!.timeouts = { first_token_ms: 500 };
    const { catalog: models } = catalog({ routes: [smart] });
    const plan = await models.plan('smart', { claimId: 'test' });
    expect(plan.targets.map((planned) => planned.timeouts)).toEqual([DEFAULT_TIMEOUTS, { ...DEFAULT_TIMEOUTS, firstTokenMs: 500 }]);
  });

  it("carries routing.retries, with a route's retry_on_timeout over it", async () => {
    const patient = { ...route('patient', [target('oa', 'gpt-4o')]), retry_on_timeout: true };
    const { catalog: models } = catalog({ routes: [patient, route('plain', [target('oa', 'gpt-4o')])] });
    expect((await models.plan('patient', { claimId: 'test' })).retries).toEqual({ ...DEFAULT_RETRIES, retryOnTimeout: true });
    expect((await models.plan('plain', { claimId: 'test' })).retries).toEqual(DEFAULT_RETRIES);
  });

  it('lists defaults as before, with names only routes: defines between plain and qualified names', async () => {
    const { catalog: models } = catalog({ routes: [route('smart', [target('oa', 'gpt-4o')]), route('shared', [target('an', 'shared')])] });
    expect((await models.list()).map((model) => `${model.id}@${model.ownedBy}`)).toEqual([
      'gpt-4o@oa',
      'gpt-4o-mini@oa',
      'shared@oa',
      'claude-sonnet-4-5@an',
      'smart@ailb',
      'oa/gpt-4o@oa',
      'oa/gpt-4o-mini@oa',
      'oa/shared@oa',
      'an/claude-sonnet-4-5@an',
      'an/shared@an',
    ]);
  });

  it("orders an explicit route by its own strategy, then appends its fallbacks' targets once each", async () => {
    const routes = [
      route('smart', [target('an', 'claude-sonnet-4-5', { priority: 1 }), target('oa', 'gpt-4o', { priority: 0 })], { strategy: 'failover', fallbacks: ['cheap', 'gpt-4o'] }),
      route('cheap', [target('oa', 'gpt-4o-mini'), target('oa', 'gpt-4o')], { strategy: 'cost_optimized' }),
      // Overrides the default route of the same name.
      route('shared', [target('an', 'shared')]),
    ];
    const { catalog: models } = catalog({ routes, strategy: 'random' });
    const plan = await models.plan('smart', { claimId: 'test' });
    expect(plan.strategy).toBe('failover');
    expect(order(plan)).toEqual(['oa:gpt-4o', 'an:claude-sonnet-4-5', 'oa:gpt-4o-mini']);
    expect(order(await models.plan('shared', { claimId: 'test' }))).toEqual(['an:shared']);
    expect((await models.plan('cheap', { claimId: 'test' })).strategy).toBe('cost_optimized');
  });

  it('defaults to routing.strategy and keeps a round-robin position per route', async () => {
    const { catalog: models } = catalog({ strategy: 'round_robin', routes: [route('duo', [target('oa', 'gpt-4o'), target('an', 'claude-sonnet-4-5')])] });
    const firsts: string[] = [];
    for (let index = 0; index < 3; index++) {
      firsts.push(order(await models.plan('shared', { claimId: 'test' }))[0]!, order(await models.plan('duo', { claimId: 'test' }))[0]!);
    }
    expect(firsts).toEqual(['oa:shared', 'oa:gpt-4o', 'an:shared', 'an:claude-sonnet-4-5', 'oa:shared', 'oa:gpt-4o']);
    expect((await models.plan('shared', { claimId: 'test' })).strategy).toBe('round_robin');
  });

  it("uses the shared stats of each target's provider for latency_optimized", async () => {
    const { state, catalog: models } = catalog({ strategy: 'latency_optimized' });
    await state.recordSuccess({ provider: 'oa', model: 'shared' }, { latencyMs: 900, startedAt: 0 });
    await state.recordSuccess({ provider: 'an', model: 'shared' }, { latencyMs: 100, startedAt: 0 });
    expect(order(await models.plan('shared', { stream: true, claimId: 'test' }))).toEqual(['an:shared', 'oa:shared']);
  });

  it('prices targets for cost_optimized: route price, then Ollama free, then the built-in table', async () => {
    const routes = [
      route('any', [
        target('oa', 'gpt-4o'),
        target('oa', 'my-finetune'),
        target('an', 'claude-sonnet-4-5'),
        { ...target('oa', 'gpt-4o-mini'), price: { input: 50, output: 50 } },
        target('ol', 'llama3.2'),
      ]),
    ];
    const { catalog: models } = catalog({ strategy: 'cost_optimized', routes });
    expect(order(await models.plan('any', { claimId: 'test' }))).toEqual(['ol:llama3.2', 'oa:gpt-4o', 'an:claude-sonnet-4-5', 'oa:gpt-4o-mini', 'oa:my-finetune']);
  });
});

describe('ModelCatalog over a route table that changes while running', () => {
  it('plans with a route added after start, and stops when it is removed', async () => {
    const { catalog: models, routeTable } = catalog();
    await expect(models.plan('late', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found' });
    routeTable.upsert(route('late', [target('an', 'claude-sonnet-4-5')]));
    expect(order(await models.plan('late', { claimId: 'test' }))).toEqual(['an:claude-sonnet-4-5']);
    expect((await models.list()).map((model) => model.id)).toContain('late');
    routeTable.remove('late');
    await expect(models.plan('late', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

describe('in-flight bookkeeping in plans', () => {
  it('asks workers to count attempts in flight only on targets a limit or a load_balanced route reads', async () => {
    const { catalog: models } = catalog({
      routes: [
        route('balanced', [target('oa', 'gpt-4o'), target('an', 'claude-sonnet-4-5')], { strategy: 'load_balanced' }),
        route('capped', [{ ...target('oa', 'gpt-4o-mini'), max_concurrency: 4 }, target('an', 'shared')]),
      ],
    });
    const counted = (plan: { targets: Array<{ provider: string; countInFlight?: boolean }> }) => plan.targets.map((entry) => `${entry.provider}:${entry.countInFlight === true}`);
    expect(counted(await models.plan('balanced', { claimId: 'test' }))).toEqual(['oa:true', 'an:true']);
    expect(counted(await models.plan('capped', { claimId: 'test' }))).toEqual(['oa:true', 'an:false']);
    // A target some load_balanced route balances is counted however the request reached it.
    expect(counted(await models.plan('gpt-4o', { claimId: 'test' }))).toEqual(['oa:true']);
    expect(counted(await models.plan('shared', { claimId: 'test' }))).toEqual(['oa:false', 'an:false']);
  });
});
