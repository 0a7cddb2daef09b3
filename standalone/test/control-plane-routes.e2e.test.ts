import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisGateway, type RunningGateway } from '@ailb/gateway';
import { createConfigSource } from '@ailb/shared/runtime';
import { createModuleServiceClient, deletePrefix, eventually, randomPrefix, REDIS_URL, startSimulatedProvider, type ModuleServiceTestClient, type SimulatedProvider } from '@ailb/testkit';
import { startRedisWorker, type RedisWorker } from '@ailb/worker';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The control plane end to end in split mode: two gateways and a worker over one real Redis, in front
 * of the simulated provider, configured from one YAML file. A route or configuration changed through
 * one gateway's ModuleService serves chat on the other within a second; Reload re-reads the file of
 * the gateway it is sent to while a streaming answer is in flight, and that answer completes.
 */
const FILE = (simulatorUrl: string, extraRoute = '') => `
providers:
  - { id: sim, type: openai, base_url: "${simulatorUrl}/v1", api_key: "sk-test-0123456789", models: [sim-small] }
routes:
${extraRoute}  - { model: smart, targets: [{ provider: sim, model: sim-small }] }
routing: { strategy: failover }
server: { http_host: 127.0.0.1, http_port: 0, grpc_host: 127.0.0.1, grpc_port: 0 }
memory: { enabled: false }
rag: { enabled: false }
`;

const targets = JSON.stringify([{ provider: 'sim', model: 'sim-small' }]);

describe('control plane across gateways (real Redis)', () => {
  const logger = pino({ level: 'silent' });
  const prefix = randomPrefix();
  const directory = mkdtempSync(join(tmpdir(), 'ailb-control-plane-'));
  const path = join(directory, 'ailb.yaml');
  const env = { REDIS_URL, AILB_REDIS_PREFIX: prefix, AILB_CONFIG: path, LOG_LEVEL: 'silent' };
  let simulator: SimulatedProvider;
  let worker: RedisWorker;
  const gateways: RunningGateway[] = [];
  const grpc: ModuleServiceTestClient[] = [];
  const chat: OpenAI[] = [];

  const ask = (index: number, model: string) => chat[index]!.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    writeFileSync(path, FILE(simulator.url));
    worker = await startRedisWorker(createConfigSource(env, 'worker').read().config, logger);
    const source = createConfigSource(env, 'gateway');
    for (let index = 0; index < 2; index++) {
      const { config, written } = source.read();
      const gateway = await startRedisGateway(config, logger, { configSource: source, configWritten: written });
      gateways.push(gateway);
      grpc.push(createModuleServiceClient(gateway.grpcAddress));
      chat.push(new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 }));
    }
  });
  afterAll(async () => {
    for (const client of grpc) client.close();
    for (const gateway of gateways) await gateway.close();
    await worker?.close();
    await simulator?.close();
    rmSync(directory, { recursive: true, force: true });
    await deletePrefix(prefix);
  });

  it('serves on gateway B, within a second, a route added through gateway A', async () => {
    await expect(ask(1, 'added-over-grpc')).rejects.toMatchObject({ status: 404 });
    expect(await grpc[0]!.UpdateRoutes({ routes: [{ route_id: 'added-over-grpc', metadata: { targets } }] })).toMatchObject({ success: true, routes_updated: 1 });
    await eventually(async () => {
      const answer = await ask(1, 'added-over-grpc');
      expect(answer.choices[0]!.message.content).toBe('Hello from sim-small. You said: hi');
    }, { timeoutMs: 1000 });
    // Deleted through B, it is gone from A within a second too.
    await grpc[1]!.DeleteRoute({ route_id: 'added-over-grpc' });
    await eventually(() => expect(ask(0, 'added-over-grpc')).rejects.toMatchObject({ status: 404 }), { timeoutMs: 1000 });
  });

  it('Reload re-reads the file of the gateway it is sent to, while a streaming answer in flight completes', async () => {
    const stream = await chat[1]!.chat.completions.create({ model: 'smart', stream: true, messages: [{ role: 'user', content: '[sim tps=20 tokens=30]' }] });
    const parts: string[] = [];
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    parts.push(first.done ? '' : (first.value.choices[0]?.delta.content ?? ''));

    writeFileSync(path, FILE(simulator.url, '  - { model: from-file, targets: [{ provider: sim, model: sim-small }] }\n'));
    const reloaded = await grpc[1]!.Reload({ graceful: true });
    expect(reloaded).toMatchObject({ success: true, message: expect.stringMatching(/^reloaded .*ailb\.yaml: 2 configured routes/) });
    // Gateway B serves the edited file at once; A has not been told to reload.
    expect((await ask(1, 'from-file')).choices[0]!.message.content).toBeTruthy();
    await expect(ask(0, 'from-file')).rejects.toMatchObject({ status: 404 });

    for (let next = await iterator.next(); !next.done; next = await iterator.next()) parts.push(next.value.choices[0]?.delta.content ?? '');
    expect(parts.join('').trim().split(/\s+/)).toHaveLength(30);
  });

  it('applies an UpdateConfig sent to gateway A on gateway B within a second, and validate_only changes nothing', async () => {
    const patch = Buffer.from('routes:\n  - { model: smart, targets: [{ provider: sim, model: sim-small }] }\n  - { model: from-config-update, targets: [{ provider: sim, model: sim-small }] }\n');
    expect(await grpc[0]!.UpdateConfig({ validate_only: true, config: { config_data: patch } })).toMatchObject({ validation_passed: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(ask(1, 'from-config-update')).rejects.toMatchObject({ status: 404 });

    expect(await grpc[0]!.UpdateConfig({ config: { config_data: patch } })).toMatchObject({ success: true });
    await eventually(async () => expect((await ask(1, 'from-config-update')).choices[0]!.message.content).toBeTruthy(), { timeoutMs: 1000 });
    // Every gateway now serves the stored sections, whatever its file says.
    await expect(ask(1, 'from-file')).rejects.toMatchObject({ status: 404 });

    const invalid = await grpc[1]!.UpdateConfig({ validate_only: true, config: { config_data: Buffer.from('routes: [{ model: x, targets: [{ provider: ghost, model: m }] }]\nserver: { http_port: 1 }') } });
    expect(invalid.validation_errors).toEqual([expect.stringMatching(/^server\.http_port: cannot change while running/), 'routes[0].targets[0].provider: unknown provider "ghost"']);
  });
});
