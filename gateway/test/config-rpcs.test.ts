import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfigSource, InMemoryClusterState, InMemoryControlChanges, InMemoryControlDocuments, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { createModuleServiceClient, eventually, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * GetConfig, UpdateConfig and Reload over real gRPC sockets, on two gateways of one deployment (the
 * embedded default's in-memory stores and change bus) reading the same config file: redaction and the
 * checksum, validation listing every problem and changing nothing, an applied change reaching the
 * other gateway, Reload re-reading the file on one instance only.
 */
const FILE = () => `
providers:
  - { id: p, type: openai, base_url: "http://user:s3cret-pass@127.0.0.1:9/v1", api_key: "\${TEST_OPENAI_KEY}", models: [m] }
  - { id: q, type: openai, base_url: "\${TEST_Q_URL}", api_key: "sk-literal-key-abcdef", models: [n] }
routes:
  - { model: smart, targets: [{ provider: p, model: m }] }
routing: { strategy: failover }
server: { http_port: 0, http_host: 127.0.0.1, grpc_port: 0, grpc_host: 127.0.0.1 }
tracing: { success_sample_rate: 0.5 }
memory: { enabled: false }
rag: { enabled: false }
`;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const json = (data: object) => Buffer.from(JSON.stringify(data));

describe('config RPCs', () => {
  const logger = pino({ level: 'silent' });
  const directory = mkdtempSync(join(tmpdir(), 'ailb-config-rpcs-'));
  const path = join(directory, 'ailb.yaml');
  const env = { AILB_CONFIG: path, TEST_OPENAI_KEY: 'sk-from-env-0123456789', TEST_Q_URL: 'http://127.0.0.1:10/v1' };
  const transport = new InProcessTransport(logger);
  const documents = new InMemoryControlDocuments();
  const changes = new InMemoryControlChanges();
  const gateways: RunningGateway[] = [];
  const clients: ModuleServiceTestClient[] = [];
  let a: ModuleServiceTestClient;
  let b: ModuleServiceTestClient;

  const documentOf = async (client: ModuleServiceTestClient) => parseYaml((await client.GetConfig({})).configs[0]!.config_data.toString('utf8')) as Record<string, any>;
  const routeNames = (document: Record<string, any>) => (document.routes as Array<{ model: string }>).map((route) => route.model);

  beforeAll(async () => {
    writeFileSync(path, FILE());
    const source = createConfigSource(env, 'standalone');
    for (let index = 0; index < 2; index++) {
      const { config, written } = source.read();
      const gateway = await startGateway({ ...config, logLevel: 'silent' }, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore(), controlChanges: changes, controlDocuments: documents }, undefined, { configSource: source, configWritten: written });
      gateways.push(gateway);
      clients.push(createModuleServiceClient(gateway.grpcAddress));
    }
    [a, b] = clients as [ModuleServiceTestClient, ModuleServiceTestClient];
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const gateway of gateways) await gateway.close();
    await changes.close();
    await transport.consumer.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('shows the running configuration in the file’s shape, secrets redacted, with its checksum', async () => {
    const { configs, last_updated } = await a.GetConfig({});
    const [config] = configs;
    const text = config!.config_data.toString('utf8');
    expect(config!.checksum).toBe(sha256(config!.config_data));
    expect(config).toMatchObject({ config_id: 'file:1', config_type: 'yaml', metadata: { source: 'file', revision: '0', file: path, route_overrides: '0' } });
    expect(last_updated).toEqual(config!.updated_at);
    for (const secret of ['sk-from-env', 's3cret-pass', 'sk-literal', '127.0.0.1:10']) expect(text).not.toContain(secret);
    const document = parseYaml(text) as Record<string, any>;
    expect(document.providers).toEqual([
      { id: 'p', type: 'openai', base_url: 'http://user:[REDACTED]@127.0.0.1:9/v1', api_key: '[REDACTED]', models: ['m'], default_max_tokens: 4096 },
      // A value the file took from the environment is shown as the file wrote it.
      { id: 'q', type: 'openai', base_url: '${TEST_Q_URL}', api_key: '[REDACTED]', models: ['n'], default_max_tokens: 4096 },
    ]);
    expect(document.routing).toMatchObject({ strategy: 'failover', timeouts: { connect_ms: 5000 }, retries: { max_attempts_per_target: 2 } });
    expect(document.tracing).toEqual({ success_sample_rate: 0.5 });
    const json = (await a.GetConfig({ config_type: 'json' })).configs[0]!;
    expect(JSON.parse(json.config_data.toString('utf8'))).toEqual(document);
    expect(json.checksum).toBe(sha256(json.config_data));
    expect((await rpcFailure(a.GetConfig({ config_type: 'toml' }))).details).toBe('config_type: must be yaml or json, got "toml"');
  });

  it('validates without changing anything (validate_only), listing every problem with its key', async () => {
    const before = (await b.GetConfig({})).configs[0]!.checksum;
    const valid = await a.UpdateConfig({ validate_only: true, config: { config_type: 'json', config_data: json({ routing: { strategy: 'random' } }) } });
    expect(valid).toMatchObject({ success: true, validation_passed: true, validation_errors: [] });
    const invalid = await a.UpdateConfig({
      validate_only: true,
      config: {
        config_data: Buffer.from('server: { http_port: 9999 }\nrouting: { strategy: fastest, circuit: { failure_threshold: 9 } }\ntracing: { success_sample_rate: 2 }\nroutes:\n  - { model: x, targets: [{ provider: nope, model: m }] }\n'),
      },
    });
    expect(invalid.success).toBe(false);
    expect(invalid.validation_passed).toBe(false);
    expect(invalid.validation_errors).toEqual([
      expect.stringMatching(/^server\.http_port: cannot change while running/),
      expect.stringMatching(/^routing\.circuit\.failure_threshold: cannot change while running/),
      'routes[0].targets[0].provider: unknown provider "nope"',
      expect.stringMatching(/^routing\.strategy: Invalid option/),
      expect.stringMatching(/^tracing\.success_sample_rate: Too big/),
    ]);
    expect((await a.GetConfig({})).configs[0]!.checksum).toBe(before);
    expect((await b.GetConfig({})).configs[0]!.checksum).toBe(before);
  });

  it('refuses an invalid change with INVALID_ARGUMENT listing every problem, changing nothing', async () => {
    const before = (await b.GetConfig({})).configs[0]!.checksum;
    const error = await rpcFailure(a.UpdateConfig({ config: { config_type: 'json', config_data: json({ providers: [], routing: { retries: { max_attempts_per_target: 0 } } }) } }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^UpdateConfig refused: providers: cannot change while running.*; routing\.retries\.max_attempts_per_target: Too small/);
    expect(a.failureResponse('UpdateConfig', error)).toMatchObject({ success: false, error: { code: 'STATUS_CODE_INVALID_ARGUMENT', details: { field: 'config.config_data' } } });
    expect((await rpcFailure(a.UpdateConfig({ config: { config_data: Buffer.from('routing: [') } }))).details).toMatch(/^UpdateConfig refused: config_data: not valid YAML/);
    expect((await rpcFailure(a.UpdateConfig({ config: { config_data: Buffer.from('{}'), checksum: 'abc' } }))).details).toMatch(/^config\.checksum: is not the SHA-256/);
    expect((await b.GetConfig({})).configs[0]!.checksum).toBe(before);
  });

  it('applies a change to every gateway: routes, strategy and tracing swap together', async () => {
    const patch = {
      routing: { strategy: 'round_robin' },
      tracing: { success_sample_rate: 0 },
      routes: [{ model: 'smart', targets: [{ provider: 'p', model: 'm' }] }, { model: 'added', targets: [{ provider: 'q', model: 'n' }] }],
      rate_limits: [{ id: 'from-update', target: 'model:added', requests_per_minute: 100 }],
    };
    const data = json(patch);
    const applied = await a.UpdateConfig({ config: { config_id: 'nlb-42', config_type: 'json', config_data: data, checksum: sha256(data) } });
    expect(applied).toMatchObject({ success: true, validation_passed: true, message: expect.stringContaining('nlb-42') });
    await eventually(async () => {
      const { configs } = await b.GetConfig({});
      expect(configs[0]).toMatchObject({ config_id: 'nlb-42', metadata: { source: 'cluster', revision: '1' } });
    });
    const document = await documentOf(b);
    expect(routeNames(document)).toEqual(['smart', 'added']);
    expect(document.routing.strategy).toBe('round_robin');
    const other = gateways[1]!.app;
    expect(other.traces.successSampleRate).toBe(0);
    expect((await b.GetRateLimits({})).limits).toEqual([expect.objectContaining({ limit_id: 'from-update', target: 'model:added', requests_per_minute: '100', metadata: { source: 'config' } })]);
    const plan = await other.catalog.plan('added', { claimId: 'test' });
    expect(plan).toMatchObject({ strategy: 'round_robin', targets: [{ provider: 'q', model: 'n' }] });
    // GetConfig's document, sent back whole (secrets redacted), is accepted as it stands.
    const whole = (await a.GetConfig({})).configs[0]!.config_data;
    expect(await a.UpdateConfig({ validate_only: true, config: { config_data: whole } })).toMatchObject({ validation_passed: true });
  });

  it('refuses a change that breaks a route set through UpdateRoutes', async () => {
    await a.UpdateRoutes({ routes: [{ route_id: 'late', metadata: { targets: '[{"provider":"p","model":"m"}]', fallbacks: '["added"]' } }] });
    const refused = await a.UpdateConfig({ validate_only: true, config: { config_type: 'json', config_data: json({ routes: [{ model: 'smart', targets: [{ provider: 'p', model: 'm' }] }] }) } });
    expect(refused.validation_errors).toEqual(['route "late" (set through UpdateRoutes).fallbacks[0]: unknown route "added" (name a route in routes: or a model listed in providers[].models): change or delete that route (UpdateRoutes, DeleteRoute) first']);
    await a.DeleteRoute({ route_id: 'late' });
  });

  it('Reload re-reads this instance’s file; the deployment’s UpdateConfig sections stay until reset', async () => {
    writeFileSync(path, FILE().replace('routes:\n', 'routes:\n  - { model: fresh, targets: [{ provider: q, model: n }] }\n'));
    const kept = await a.Reload({});
    expect(kept.message).toMatch(/stay as set through UpdateConfig \(nlb-42\)/);
    expect(routeNames(await documentOf(a))).toEqual(['smart', 'added']);

    expect(await a.UpdateConfig({ config: { metadata: { reset: 'file' } } })).toMatchObject({ success: true });
    // Gateway A reloaded its file: it serves the edited routes; B serves its file as last read.
    await eventually(async () => expect(routeNames(await documentOf(a))).toEqual(['fresh', 'smart']));
    await eventually(async () => expect(routeNames(await documentOf(b))).toEqual(['smart']));
    expect((await a.GetConfig({})).configs[0]).toMatchObject({ config_id: 'file:2', metadata: { source: 'file' } });
    expect(gateways[1]!.app.traces.successSampleRate).toBe(0.5);
    expect((await b.GetRateLimits({})).limits).toEqual([]);

    const reloaded = await b.Reload({ instance_id: gateways[1]!.app.instanceId, graceful: true });
    expect(reloaded).toMatchObject({ success: true, message: expect.stringMatching(/^reloaded .*ailb\.yaml: 2 configured routes, strategy failover$/) });
    expect(routeNames(await documentOf(b))).toEqual(['fresh', 'smart']);
  });

  it('Reload refuses a file that changes what needs a restart, or does not hold, and changes nothing', async () => {
    writeFileSync(path, FILE().replace('http_port: 0', 'http_port: 8123').replace('routes:\n', 'routes:\n  - { model: later, targets: [{ provider: q, model: n }] }\n'));
    const error = await rpcFailure(a.Reload({}));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toMatch(/^reload refused: server\.http_port: cannot change while running/);
    writeFileSync(path, FILE().replace('strategy: failover', 'strategy: nope'));
    expect((await rpcFailure(a.Reload({}))).details).toMatch(/^reload refused: .*ailb\.yaml: routing\.strategy: Invalid option/);
    expect(routeNames(await documentOf(a))).toEqual(['fresh', 'smart']);
    writeFileSync(path, FILE());
  });

  it('Reload is instance-local: another id is NOT_FOUND', async () => {
    expect((await rpcFailure(a.Reload({ instance_id: gateways[1]!.app.instanceId }))).code).toBe(status.NOT_FOUND);
  });
});

describe('config RPCs where nothing can be re-read, or the environment decides', () => {
  it('refuses Reload without a configuration source, and a change an env var would override', async () => {
    const logger = pino({ level: 'silent' });
    const transport = new InProcessTransport(logger);
    const config = testAppConfig({ routing: { ...testAppConfig().routing, strategy: 'random' } });
    const gateway = await startGateway(config, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore() }, undefined, {
      // ROUTING_STRATEGY is set for this gateway: it wins over any configuration.
      configSource: { ...createConfigSource({ ROUTING_STRATEGY: 'random' }, 'gateway'), read: () => { throw new Error('not read in this test'); } },
    });
    const bare = await startGateway(config, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore() });
    const client = createModuleServiceClient(gateway.grpcAddress);
    const bareClient = createModuleServiceClient(bare.grpcAddress);
    try {
      const shadowed = await client.UpdateConfig({ validate_only: true, config: { config_data: Buffer.from('routing: { strategy: failover }') } });
      expect(shadowed.validation_errors).toEqual([expect.stringMatching(/^routing\.strategy: the environment variable ROUTING_STRATEGY \("random"\) wins/)]);
      const error = await rpcFailure(bareClient.Reload({}));
      expect(error.code).toBe(status.FAILED_PRECONDITION);
      expect(error.details).toMatch(/without a configuration source/);
    } finally {
      client.close();
      bareClient.close();
      await gateway.close();
      await bare.close();
      await transport.consumer.close();
    }
  });
});
