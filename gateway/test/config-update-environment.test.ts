import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfigSource, InMemoryClusterState, InMemoryControlChanges, InMemoryControlDocuments, InMemoryTraceStore, InProcessTransport, type Env } from '@ailb/shared/runtime';
import { createModuleServiceClient, eventually, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';

/*
 * UpdateConfig and each gateway's environment, on two gateways of one deployment (the embedded
 * default's in-memory stores and change bus) reading the same file: a document sent over the network
 * is never interpolated (no environment variable can be read out through it), and every gateway
 * applies the stored document the same way — or says, per gateway, which revision it runs and why.
 */
const FILE = `
providers:
  - { id: p, type: openai, base_url: "http://127.0.0.1:9/v1", api_key: "sk-literal-0123456789", models: [m] }
routes:
  - { model: smart, targets: [{ provider: p, model: "\${TEST_MODEL}" }] }
routing: { strategy: failover }
server: { http_port: 0, http_host: 127.0.0.1, grpc_port: 0, grpc_host: 127.0.0.1 }
memory: { enabled: false }
rag: { enabled: false }
`;
const SECRET = 'sk-env-secret-0123456789';
const json = (data: object) => Buffer.from(JSON.stringify(data));
const target = { provider: 'p', model: 'm' };

/** Two gateways over one in-memory deployment, each with its own environment; `logs[i]`: gateway i's error lines. */
function deployment(environments: (base: Env) => [Env, Env]) {
  let directory: string | undefined;
  const transport = new InProcessTransport(pino({ level: 'silent' }));
  const documents = new InMemoryControlDocuments();
  const changes = new InMemoryControlChanges();
  const gateways: RunningGateway[] = [];
  const clients: ModuleServiceTestClient[] = [];
  const logs: string[][] = [[], []];
  return {
    documents,
    gateways,
    clients,
    logs,
    async start() {
      directory = mkdtempSync(join(tmpdir(), 'ailb-config-environment-'));
      const base: Env = { AILB_CONFIG: join(directory, 'ailb.yaml'), TEST_MODEL: 'm', TEST_SECRET: SECRET };
      writeFileSync(base.AILB_CONFIG!, FILE);
      for (const [index, env] of environments(base).entries()) {
        const source = createConfigSource(env, 'standalone');
        const { config, written } = source.read();
        const logger = pino({ level: 'error' }, { write: (line: string) => void logs[index]!.push(line) });
        const gateway = await startGateway(config, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore(), controlChanges: changes, controlDocuments: documents }, undefined, { configSource: source, configWritten: written });
        gateways.push(gateway);
        clients.push(createModuleServiceClient(gateway.grpcAddress));
      }
    },
    async close() {
      for (const client of clients) client.close();
      for (const gateway of gateways) await gateway.close();
      await changes.close();
      await transport.consumer.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

const metadataOf = async (client: ModuleServiceTestClient) => (await client.GetConfig({})).configs[0]!.metadata;
const documentOf = async (client: ModuleServiceTestClient) => parseYaml((await client.GetConfig({})).configs[0]!.config_data.toString('utf8')) as { routes: Array<{ model: string; targets: Array<{ provider: string; model: string }> }> };
const routeNames = async (client: ModuleServiceTestClient) => (await client.GetRoutes({})).routes.map((route) => route.route_id);

describe('UpdateConfig never interpolates what it is sent', () => {
  const cluster = deployment((base) => [base, base]);
  beforeAll(() => cluster.start());
  afterAll(() => cluster.close());

  it('refuses ${…} references, set or not, naming the key, and no RPC or endpoint shows the environment’s values', async () => {
    const [a] = cluster.clients as [ModuleServiceTestClient];
    for (const name of ['TEST_SECRET', 'NOT_SET_ANYWHERE']) {
      const patch = { routes: [{ model: 'smart', targets: [target] }, { model: `\${${name}}`, targets: [{ provider: 'p', model: '${TEST_MODEL}' }] }] };
      const expected = [`routes[1].model: \${…} references are only resolved in the AILB_CONFIG file; send the value`, `routes[1].targets[0].model: \${…} references are only resolved in the AILB_CONFIG file; send the value`];
      const error = await rpcFailure(a.UpdateConfig({ config: { config_type: 'json', config_data: json(patch) } }));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      // The same answer whether the variable exists or not: nothing tells which variables are set.
      expect(error.details).toBe(`UpdateConfig refused: ${expected.join('; ')}`);
      const validated = await a.UpdateConfig({ validate_only: true, config: { config_type: 'json', config_data: json(patch) } });
      expect(validated.validation_errors).toEqual(expected);
    }
    expect((await cluster.documents.read('config')).revision).toBe(0);
    for (const [index, client] of cluster.clients.entries()) {
      const shown = [
        JSON.stringify(await client.GetRoutes({})),
        (await client.GetConfig({ config_type: 'json' })).configs[0]!.config_data.toString('utf8'),
        (await cluster.gateways[index]!.app.inject({ method: 'GET', url: '/v1/models' })).body,
      ];
      for (const text of shown) expect(text).not.toContain(SECRET);
    }
  });

  it('takes GetConfig’s document back: a ${…} where the file has it is the file’s value, stored as a value', async () => {
    const [a, b] = cluster.clients as [ModuleServiceTestClient, ModuleServiceTestClient];
    const shown = (await a.GetConfig({})).configs[0]!.config_data;
    expect((await documentOf(a)).routes[0]!.targets[0]!.model).toBe('${TEST_MODEL}');
    expect(await a.UpdateConfig({ config: { config_data: shown } })).toMatchObject({ success: true });
    const stored = await cluster.documents.read('config');
    expect(stored.revision).toBe(1);
    expect(stored.value).not.toContain('${');
    expect(JSON.parse(stored.value!).sections.routes[0].targets[0].model).toBe('m');
    await eventually(async () => expect(await metadataOf(b)).toMatchObject({ source: 'cluster', revision: '1', applied_revision: '1' }));
    const smart = (await b.GetRoutes({ query: { filters: [{ field: 'route_id', value: 'smart' }] } })).routes[0]!;
    expect(JSON.parse(smart.metadata.targets!)).toEqual([expect.objectContaining(target)]);

    // A reference anywhere else is refused; a value changed there is shown as the value in force.
    const moved = await rpcFailure(a.UpdateConfig({ config: { config_type: 'json', config_data: json({ routes: [{ model: 'smart', targets: [{ provider: '${TEST_MODEL}', model: 'm' }] }] }) } }));
    expect(moved.details).toBe('UpdateConfig refused: routes[0].targets[0].provider: ${…} references are only resolved in the AILB_CONFIG file; send the value');
    await a.UpdateConfig({ config: { config_type: 'json', config_data: json({ routes: [{ model: 'smart', targets: [{ provider: 'p', model: 'other' }] }] }) } });
    expect((await documentOf(a)).routes[0]!.targets[0]!.model).toBe('other');
  });
});

describe('every gateway applies the stored document the same way, or says which revision it runs and why', () => {
  // Gateway B's environment decides the strategy (env vars win over the configuration, as at start).
  const cluster = deployment((base) => [base, { ...base, ROUTING_STRATEGY: 'random' }]);
  beforeAll(() => cluster.start());
  afterAll(() => cluster.close());

  it('a gateway that cannot apply a revision whole keeps its own and reports it in GetConfig and its log', async () => {
    const [a, b] = cluster.clients as [ModuleServiceTestClient, ModuleServiceTestClient];
    const patch = json({ routes: [{ model: 'smart', targets: [target] }, { model: 'added', targets: [target] }] });
    expect(await a.UpdateConfig({ config: { config_type: 'json', config_data: patch } })).toMatchObject({ success: true });
    // Stored as A's file configures it: B's ROUTING_STRATEGY is not carried to the deployment.
    expect(JSON.parse((await cluster.documents.read('config')).value!).sections.routing.strategy).toBe('failover');
    await eventually(async () => expect(await metadataOf(b)).toMatchObject({ revision: '1', applied_revision: '0', source: 'file' }));
    expect(await metadataOf(a)).toMatchObject({ revision: '1', applied_revision: '1', source: 'cluster' });
    expect((await metadataOf(a)).refused).toBeUndefined();
    expect((await metadataOf(b)).refused).toMatch(/^revision 1: routing\.strategy: the environment variable ROUTING_STRATEGY \("random"\) wins over the configuration's "failover"/);
    // All or nothing on B: not the routes without the strategy.
    expect(await routeNames(a)).toContain('added');
    expect(await routeNames(b)).not.toContain('added');
    expect(cluster.logs[1]!.join('\n')).toMatch(/refuses the configuration stored through UpdateConfig \(revision 1\) and keeps running revision 0/);
    // B itself refuses to store what it could not apply.
    expect((await rpcFailure(b.UpdateConfig({ config: { config_data: Buffer.from('tracing: { success_sample_rate: 0.5 }') } }))).details).toMatch(/^UpdateConfig refused: routing\.strategy: the environment variable ROUTING_STRATEGY/);

    // A revision B can run, it runs; after a reset both run their files again.
    await a.UpdateConfig({ config: { config_data: Buffer.from('routing: { strategy: random }') } });
    for (const client of [a, b]) await eventually(async () => expect(await metadataOf(client)).toMatchObject({ revision: '2', applied_revision: '2', source: 'cluster' }));
    expect((await metadataOf(b)).refused).toBeUndefined();
    expect(await routeNames(b)).toContain('added');
    await a.UpdateConfig({ config: { metadata: { reset: 'file' } } });
    for (const client of [a, b]) await eventually(async () => expect(await metadataOf(client)).toMatchObject({ revision: '3', applied_revision: '3', source: 'file' }));
    expect(await routeNames(b)).not.toContain('added');
  });
});
