import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { hashApiKey } from '@ailb/shared';
import { eventually, startSimulatedProvider } from '@ailb/testkit';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone } from '../src/start-standalone.js';
import { startSplitCluster, type SplitCluster } from './support/split-cluster.js';
import { simulatedProviders, testConfig } from './support/test-config.js';

/*
 * API keys as deployed: two gateway processes and a worker over one Redis. A key created through one
 * gateway's admin API works on both; revoked through one, it fails on both within a second; config
 * keys from the YAML work everywhere. Then the embedded default: its keys survive a restart over the
 * same AILB_DATA_DIR, and an open gateway says so loudly in its log.
 */
const MASTER = 'e2e-master-key-0123456789abcdef';
const YAML_SECRET = 'yaml-secret-0123456789abcdef';

describe('API keys across gateways (split mode)', () => {
  let cluster: SplitCluster;
  const urls: string[] = [];

  beforeAll(async () => {
    cluster = await startSplitCluster(['keys:', `  - { id: yaml-ops, tenant: ops, models: [sim-small], key_hash: "sha256:${hashApiKey(YAML_SECRET)}" }`], {
      tokensPerSecond: 1000,
      env: { AILB_MASTER_KEY: MASTER },
    });
    urls.push(...cluster.gateways.map((gateway) => gateway.url));
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  const client = (url: string, apiKey: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
  const ask = (url: string, apiKey: string, model = 'sim-small') => client(url, apiKey).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  const admin = (url: string, method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${MASTER}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('refuses calls without a key or with a wrong one on every gateway (401 through the SDK)', async () => {
    for (const url of urls) {
      await expect(ask(url, 'sk-not-a-key')).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const bare = await fetch(`${url}/v1/models`);
      expect(bare.status).toBe(401);
      expect((await bare.json()) as unknown).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
  });

  it('serves the YAML key on both gateways, with its model list', async () => {
    for (const url of urls) {
      expect((await ask(url, YAML_SECRET)).choices[0]?.message.content).toEqual(expect.any(String));
      await expect(ask(url, YAML_SECRET, 'sim-large')).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    }
    const listed = (await (await admin(urls[1]!, 'GET', '/admin/keys')).json()) as { data: Array<{ id: string; source: string }> };
    expect(listed.data).toEqual([expect.objectContaining({ id: 'yaml-ops', source: 'config' })]);
    expect((await admin(urls[0]!, 'DELETE', '/admin/keys/yaml-ops')).status).toBe(409);
  });

  it('makes a key created on one gateway work on both, and a revoked key fail on both within a second', async () => {
    const created = await admin(urls[0]!, 'POST', '/admin/keys', { name: 'e2e', tenant: 'acme' });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    // The other gateway learns of it through the `keys` topic.
    await eventually(async () => expect((await ask(urls[1]!, key)).choices).toHaveLength(1), { timeoutMs: 1000, intervalMs: 20 });
    expect((await ask(urls[0]!, key)).choices).toHaveLength(1);
    // The secret is never shown again.
    expect(JSON.stringify(await (await admin(urls[1]!, 'GET', `/admin/keys/${id}`)).json())).not.toContain(key);

    const revokedAt = Date.now();
    expect((await admin(urls[1]!, 'DELETE', `/admin/keys/${id}`)).status).toBe(200);
    for (const url of urls) {
      await eventually(() => expect(ask(url, key)).rejects.toBeInstanceOf(OpenAI.AuthenticationError), { timeoutMs: 1000, intervalMs: 20 });
    }
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('rotates on one gateway: the old secret fails on both, the new one works on both', async () => {
    const { id, key } = (await (await admin(urls[0]!, 'POST', '/admin/keys', { name: 'rotating', tenant: 'acme' })).json()) as { id: string; key: string };
    const rotated = await admin(urls[1]!, 'POST', `/admin/keys/${id}/rotate`);
    const next = ((await rotated.json()) as { key: string }).key;
    for (const url of urls) {
      await eventually(async () => {
        await expect(ask(url, key)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
        expect((await ask(url, next)).choices).toHaveLength(1);
      }, { timeoutMs: 1000, intervalMs: 20 });
    }
  });
});

describe('API keys in the embedded default', () => {
  const directories: string[] = [];
  afterAll(() => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('keeps keys across a restart over the same AILB_DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ailb-keys-e2e-'));
    directories.push(dataDir);
    const simulator = await startSimulatedProvider();
    try {
      const base = testConfig({ providers: simulatedProviders(simulator.url) });
      const config = { ...base, knowledge: { ...base.knowledge, embedder: { ...base.knowledge.embedder, dataDir } }, auth: { masterKey: MASTER, protectOps: false, keys: [] } };
      const logger = pino({ level: 'silent' });
      const first = await startStandalone(config, logger);
      let created: { id: string; key: string };
      try {
        const response = await fetch(`${first.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept', tenant: 'acme' }) });
        created = (await response.json()) as { id: string; key: string };
        expect((await new OpenAI({ baseURL: `${first.url}/v1`, apiKey: created.key, maxRetries: 0 }).models.list()).data.length).toBeGreaterThan(0);
      } finally {
        await first.close();
      }
      const second = await startStandalone(config, logger);
      try {
        const models = await new OpenAI({ baseURL: `${second.url}/v1`, apiKey: created.key, maxRetries: 0 }).models.list();
        expect(models.data.length).toBeGreaterThan(0);
        await expect(new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'sk-other', maxRetries: 0 }).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      } finally {
        await second.close();
      }
    } finally {
      await simulator.close();
    }
  }, 30_000);

  it('warns loudly when nobody has to authenticate, and not once a key exists', async () => {
    const simulator = await startSimulatedProvider();
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as { level: number; msg: string });
        callback();
      },
    });
    try {
      const config = testConfig({ providers: simulatedProviders(simulator.url) });
      const open = await startStandalone(config, pino({ level: 'warn' }, sink));
      await open.close();
      expect(lines.filter((line) => line.level === 40 && line.msg.startsWith('OPEN GATEWAY'))).toHaveLength(1);
      lines.length = 0;
      const closed = await startStandalone({ ...config, auth: { masterKey: MASTER, protectOps: false, keys: [] } }, pino({ level: 'warn' }, sink));
      await closed.close();
      expect(lines.filter((line) => line.msg.startsWith('OPEN GATEWAY'))).toHaveLength(0);
    } finally {
      await simulator.close();
    }
  }, 30_000);
});
