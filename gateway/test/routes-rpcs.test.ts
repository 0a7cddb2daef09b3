import type { Route } from '@ailb/proto';
import type { RouteConfig } from '@ailb/shared';
import { InMemoryClusterState, InMemoryControlChanges, InMemoryControlDocuments, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { createModuleServiceClient, eventually, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * GetRoutes, UpdateRoutes, DeleteRoute and CanHandle over real gRPC sockets, with a client built only
 * from the .proto files, on two gateways sharing one deployment's control-plane state (the embedded
 * default's in-memory stores and change bus): what one gateway is told, the other serves.
 */
const target = (provider: string, model: string, priority = 0) => ({ provider, model, priority, weight: 1 });
const configRoutes: RouteConfig[] = [
  { model: 'smart', strategy: 'failover', targets: [target('p', 'm'), target('q', 'n', 1)], fallbacks: ['cheap'] },
  { model: 'cheap', targets: [target('q', 'n')], fallbacks: [] },
];
const providers = [
  { id: 'p', type: 'openai' as const, models: ['m'], default_max_tokens: 4096 },
  { id: 'q', type: 'openai' as const, models: ['n'], default_max_tokens: 4096 },
];

/** A Route message as UpdateRoutes takes it. */
const routeMessage = (name: string, targets: unknown, extra: Record<string, string> = {}, priority = 0): Route => ({
  route_id: name,
  protocol: 'PROTOCOL_HTTP',
  path_pattern: '/v1/chat/completions',
  priority,
  metadata: { targets: JSON.stringify(targets), ...extra },
});

describe('route RPCs', () => {
  const logger = pino({ level: 'silent' });
  const transport = new InProcessTransport(logger);
  const documents = new InMemoryControlDocuments();
  const changes = new InMemoryControlChanges();
  const gateways: RunningGateway[] = [];
  const clients: ModuleServiceTestClient[] = [];
  let a: ModuleServiceTestClient;
  let b: ModuleServiceTestClient;

  const names = async (client: ModuleServiceTestClient) => (await client.GetRoutes({})).routes.map((route) => `${route.route_id}:${route.metadata.source}`);
  const models = async (gateway: RunningGateway) => ((await gateway.app.inject({ method: 'GET', url: '/v1/models' })).json() as { data: Array<{ id: string }> }).data.map((model) => model.id);

  beforeAll(async () => {
    const config = testAppConfig({ providers, routes: configRoutes });
    const state = new InMemoryClusterState(config.routing);
    for (let index = 0; index < 2; index++) {
      const gateway = await startGateway(config, logger, { producer: transport.producer, state, traces: new InMemoryTraceStore(), controlChanges: changes, controlDocuments: documents });
      gateways.push(gateway);
      clients.push(createModuleServiceClient(gateway.grpcAddress));
    }
    [a, b] = clients as [ModuleServiceTestClient, ModuleServiceTestClient];
  });
  afterEach(async () => {
    // Every test starts from the configuration's routes: replace_all with them ends every override.
    await a.UpdateRoutes({ replace_all: true, routes: configRoutes.map((route) => routeMessage(route.model, route.targets, { fallbacks: JSON.stringify(route.fallbacks), ...(route.strategy ? { strategy: route.strategy } : {}) })) });
    expect(gateways[0]!.app.configControl.overrides).toEqual([]);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const gateway of gateways) await gateway.close();
    await changes.close();
    await transport.consumer.close();
  });

  it('lists one Route per public model: configured routes and the default ones, with the YAML route in metadata', async () => {
    const { routes, total_routes, pagination } = await a.GetRoutes({});
    expect(total_routes).toBe(6);
    expect(pagination).toEqual({ page: 1, page_size: 6, total_items: 6, total_pages: 1 });
    expect(routes.map((route) => `${route.route_id}:${route.metadata.source}`)).toEqual(['cheap:config', 'm:default', 'n:default', 'p/m:default', 'q/n:default', 'smart:config']);
    expect(routes.find((route) => route.route_id === 'smart')).toEqual({
      route_id: 'smart',
      protocol: 'PROTOCOL_HTTP',
      source_pattern: '',
      destination_pattern: '',
      source_port: 0,
      destination_port: 0,
      headers: {},
      path_pattern: '/v1/chat/completions',
      priority: 0,
      metadata: { model: 'smart', strategy: 'failover', targets: JSON.stringify(configRoutes[0]!.targets), fallbacks: '["cheap"]', source: 'config' },
    });
    // A route without a strategy reports the default one.
    expect(routes.find((route) => route.route_id === 'cheap')!.metadata.strategy).toBe('failover');
  });

  it('filters, sorts and pages with Query, and names a bad filter', async () => {
    const byProvider = await a.GetRoutes({ query: { filters: [{ field: 'provider', operator: 'eq', value: 'q' }, { field: 'source', operator: '!=', value: 'default' }] } });
    expect(byProvider.routes.map((route) => route.route_id)).toEqual(['cheap', 'smart']);
    const page = await a.GetRoutes({ query: { sort_by: 'route_id', sort_desc: true, pagination: { page: 2, page_size: 4 } } });
    expect(page.routes.map((route) => route.route_id)).toEqual(['m', 'cheap']);
    expect(page.total_routes).toBe(6);
    expect(page.pagination).toEqual({ page: 2, page_size: 4, total_items: 6, total_pages: 2 });
    const error = await rpcFailure(a.GetRoutes({ query: { filters: [{ field: 'colour', value: 'red' }] } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^query\.filters\[0\]\.field: unknown field "colour"/);
  });

  it('serves a route set through one gateway on the other, within a second', async () => {
    const response = await a.UpdateRoutes({ routes: [routeMessage('late', [target('q', 'n')], { strategy: 'round_robin', fallbacks: '["smart"]' }, 5)] });
    expect(response).toMatchObject({ success: true, routes_updated: 1 });
    await eventually(async () => expect(await names(b)).toContain('late:grpc'));
    const late = (await b.GetRoutes({ query: { filters: [{ field: 'route_id', value: 'late' }] } })).routes[0]!;
    expect(late).toMatchObject({ priority: 5, metadata: { model: 'late', strategy: 'round_robin', fallbacks: '["smart"]', source: 'grpc' } });
    // Chat on the other gateway plans with it, and /v1/models lists it.
    const plan = await gateways[1]!.app.catalog.plan('late', { claimId: 'test' });
    expect(plan.targets.map((planned) => `${planned.provider}/${planned.model}`)).toEqual(['q/n', 'p/m']);
    expect(await models(gateways[1]!)).toContain('late');
  });

  it('overrides a configured route of the same name, and sending the configured definition back ends the override', async () => {
    await a.UpdateRoutes({ routes: [routeMessage('cheap', [target('p', 'm')])] });
    await eventually(async () => expect(await names(b)).toContain('cheap:grpc'));
    expect((await gateways[1]!.app.catalog.plan('cheap', { claimId: 'test' })).targets.map((planned) => planned.provider)).toEqual(['p']);
    await a.UpdateRoutes({ routes: [routeMessage('cheap', [target('q', 'n')])] });
    await eventually(async () => expect(await names(b)).toContain('cheap:config'));
  });

  it('refuses an update with any invalid route, listing every problem, and changes nothing', async () => {
    const before = await b.GetRoutes({});
    const error = await rpcFailure(
      a.UpdateRoutes({
        routes: [
          routeMessage('ok', [target('p', 'm')]),
          { ...routeMessage('broken-json', []), metadata: { targets: '[{"provider":' } },
          routeMessage('ghost-provider', [target('nope', 'm')], { strategy: 'fastest' }),
          routeMessage('typo', [target('p', 'm')], { fallback: '[]' }),
          { ...routeMessage('tcp', [target('p', 'm')]), protocol: 'PROTOCOL_TCP', path_pattern: '/v1/embeddings' },
        ],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^routes\[1\]\.metadata\.targets: not valid JSON/);
    for (const expected of [
      'routes[2].metadata.strategy: Invalid option',
      'routes[3].metadata.fallback: unknown key',
      'routes[4].protocol: AILB serves model routes over HTTP',
      'routes[4].path_pattern: AILB routes by model name on /v1/chat/completions only',
    ]) {
      expect(error.details).toContain(expected);
    }
    // The Error field of the response says the same (trailing metadata).
    expect(a.failureResponse('UpdateRoutes', error)).toMatchObject({ success: false, error: { code: 'STATUS_CODE_INVALID_ARGUMENT', details: { field: 'routes[1].metadata.targets' } } });
    // Rules the YAML checks across routes: an unknown provider, a fallback nowhere.
    const crossed = await rpcFailure(a.UpdateRoutes({ routes: [routeMessage('ok', [target('p', 'm')]), routeMessage('x', [target('nope', 'm')], { fallbacks: '["nowhere"]' })] }));
    expect(crossed.details).toContain('routes[1].targets[0].provider: unknown provider "nope"');
    expect(crossed.details).toContain('routes[1].fallbacks[0]: unknown route "nowhere"');
    expect(await b.GetRoutes({})).toEqual(before);
    expect(await a.GetRoutes({})).toEqual(before);
  });

  it('replace_all makes the given routes the explicit ones: configured routes left out are deleted, default routes stay', async () => {
    await a.UpdateRoutes({ replace_all: true, routes: [routeMessage('solo', [target('p', 'm')])] });
    await eventually(async () => expect(await names(b)).toEqual(['m:default', 'n:default', 'p/m:default', 'q/n:default', 'solo:grpc']));
    await expect(gateways[1]!.app.catalog.plan('smart', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found' });
  });

  it('sending back what GetRoutes lists changes nothing', async () => {
    const before = await a.GetRoutes({});
    await a.UpdateRoutes({ replace_all: true, routes: before.routes });
    expect(await a.GetRoutes({})).toEqual(before);
    expect(gateways[0]!.app.configControl.overrides).toEqual([]);
  });

  it('deletes routes: unknown is NOT_FOUND, a fallback of another route cannot go, a deleted default route stays deleted until set again', async () => {
    expect((await rpcFailure(a.DeleteRoute({ route_id: 'nothing' }))).code).toBe(status.NOT_FOUND);
    const blocked = await rpcFailure(a.DeleteRoute({ route_id: 'cheap' }));
    expect(blocked.code).toBe(status.FAILED_PRECONDITION);
    expect(blocked.details).toBe('route_id: route "cheap" is a fallback of "smart"; change or delete those routes first');

    expect(await a.DeleteRoute({ route_id: 'smart' })).toMatchObject({ success: true });
    expect(await a.DeleteRoute({ route_id: 'cheap' })).toMatchObject({ success: true });
    expect(await a.DeleteRoute({ route_id: 'm' })).toMatchObject({ success: true });
    await eventually(async () => expect(await names(b)).toEqual(['n:default', 'p/m:default', 'q/n:default']));
    expect(await models(gateways[1]!)).not.toContain('m');
    await expect(gateways[1]!.app.catalog.plan('m', { claimId: 'test' })).rejects.toMatchObject({ code: 'model_not_found' });
    // Setting the default definition again brings the default route back (no override left).
    await a.UpdateRoutes({ routes: [routeMessage('m', [target('p', 'm')])] });
    await eventually(async () => expect(await names(b)).toContain('m:default'));
  });

  it('answers CanHandle for the chat path and a servable model, saying why not otherwise', async () => {
    await a.UpdateRoutes({ routes: [routeMessage('late', [target('q', 'n')], {}, 7)] });
    expect(await a.CanHandle({ route: { route_id: 'late', protocol: 'PROTOCOL_HTTP', path_pattern: '/v1/chat/completions' } })).toEqual({
      can_handle: true,
      priority: 7,
      reason: 'model "late" is served by route "late" (grpc, strategy failover, 1 targets)',
      metadata: { model: 'late', source: 'grpc', strategy: 'failover' },
    });
    expect(await a.CanHandle({ route: { metadata: { model: 'q/n' }, path_pattern: '/v1/*' } })).toMatchObject({ can_handle: true, metadata: { source: 'default' } });
    expect(await a.CanHandle({ route: { route_id: 'gpt-9', path_pattern: '/v1/chat/completions' } })).toMatchObject({ can_handle: false, reason: 'model "gpt-9" is not served: no route has that name and no deployment lists it' });
    expect(await a.CanHandle({ route: { route_id: 'smart', path_pattern: '/v1/embeddings' } })).toMatchObject({ can_handle: false, reason: expect.stringContaining('does not cover /v1/chat/completions') });
    expect(await a.CanHandle({ route: { route_id: 'smart', protocol: 'PROTOCOL_MYSQL' } })).toMatchObject({ can_handle: false, reason: 'AILB serves model routes over HTTP, not PROTOCOL_MYSQL' });
    expect((await rpcFailure(a.CanHandle({}))).code).toBe(status.INVALID_ARGUMENT);
  });

  it('an echo of a route set without a strategy changes nothing: no new revision, and it keeps following routing.strategy', async () => {
    await a.UpdateRoutes({ routes: [routeMessage('late', [target('q', 'n')])] });
    // GetRoutes lists the effective strategy; sending that back must not pin it.
    const listed = (await a.GetRoutes({ query: { filters: [{ field: 'route_id', value: 'late' }] } })).routes;
    expect(listed[0]!.metadata).toMatchObject({ strategy: 'failover', source: 'grpc' });
    const { revision } = await documents.read('route-overrides');
    await a.UpdateRoutes({ routes: listed });
    await a.UpdateRoutes({ replace_all: true, routes: (await a.GetRoutes({})).routes });
    expect((await documents.read('route-overrides')).revision).toBe(revision);
    try {
      await a.UpdateConfig({ config: { config_data: Buffer.from('routing: { strategy: round_robin }') } });
      const strategyOf = async (client: ModuleServiceTestClient) => (await client.GetRoutes({ query: { filters: [{ field: 'route_id', value: 'late' }] } })).routes[0]!.metadata.strategy;
      await eventually(async () => expect(await strategyOf(b)).toBe('round_robin'));
      expect(await strategyOf(a)).toBe('round_robin');
    } finally {
      await a.UpdateConfig({ config: { metadata: { reset: 'file' } } });
    }
  });

  it('matches path patterns in linear time, and refuses an overlong one', async () => {
    // A backtracking matcher takes exponential time on runs of `*` that end in a mismatch.
    const pathological = { route_id: 'smart', path_pattern: `${'*'.repeat(60)}x` };
    expect(await a.CanHandle({ route: pathological })).toMatchObject({ can_handle: false, reason: expect.stringContaining('does not cover') });
    expect(await a.CanHandle({ route: { route_id: 'smart', path_pattern: `/${'*a'.repeat(100)}` } })).toMatchObject({ can_handle: false });
    for (const pattern of [`${'*'.repeat(60)}/completions`, '/v1/*/*completions', '*/chat/*', '/v1/chat/completions*', '*']) {
      expect(await a.CanHandle({ route: { route_id: 'smart', path_pattern: pattern } }), pattern).toMatchObject({ can_handle: true });
    }
    for (const pattern of ['/v1/*/embeddings', '/v1/chat/completions/*x', '*/v2/*', 'v1/chat/completions']) {
      expect(await a.CanHandle({ route: { route_id: 'smart', path_pattern: pattern } }), pattern).toMatchObject({ can_handle: false });
    }
    const error = await rpcFailure(a.CanHandle({ route: { route_id: 'smart', path_pattern: `/${'a'.repeat(256)}` } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('route.path_pattern: at most 256 characters, got 257');
  });

  it('accepts any live instance id for these cluster-wide RPCs, and refuses an unknown one', async () => {
    expect((await a.GetRoutes({ instance_id: gateways[1]!.app.instanceId })).total_routes).toBe(6);
    const error = await rpcFailure(a.UpdateRoutes({ instance_id: 'no-such-gateway', routes: [routeMessage('x', [target('p', 'm')])] }));
    expect(error.code).toBe(status.NOT_FOUND);
  });
});
