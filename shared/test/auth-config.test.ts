import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/index.js';
import { loadConfig } from '../src/runtime/config/load-config.js';
import { renderConfig } from '../src/runtime/config/config-document.js';

/*
 * Configuration of who may call: the master key (a secret, never echoed), config-file keys (hashed or
 * `${ENV}`, hashed at load), and the safe bind default (loopback while nobody has to authenticate).
 */
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const yamlFile = (text: string): string => {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-auth-config-'));
  directories.push(directory);
  const path = join(directory, 'ailb.yaml');
  writeFileSync(path, text);
  return path;
};

const MASTER = 'a-master-key-0123456789';

describe('auth configuration', () => {
  it('binds 127.0.0.1 while open, 0.0.0.0 once a master key or a config key exists, and HTTP_HOST always wins', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1');
    expect(loadConfig({ HTTP_HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ AILB_MASTER_KEY: MASTER }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ AILB_MASTER_KEY: MASTER, HTTP_HOST: '127.0.0.1' }).http.host).toBe('127.0.0.1');
    const withKey = yamlFile(`keys:\n  - { id: ops, tenant: ops, key_hash: "sha256:${hashApiKey('x'.repeat(20))}" }\n`);
    expect(loadConfig({ AILB_CONFIG: withKey }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ AILB_CONFIG: yamlFile('server: { http_host: 0.0.0.0 }\n') }).http.host).toBe('0.0.0.0');
  });

  it('reads the master key, never repeating a bad one, and AILB_PROTECT_OPS only with a master key', () => {
    expect(loadConfig({ AILB_MASTER_KEY: MASTER, AILB_PROTECT_OPS: 'true' }).auth).toEqual({ masterKey: MASTER, protectOps: true, keys: [] });
    expect(loadConfig({}).auth).toEqual({ masterKey: undefined, protectOps: false, keys: [] });
    expect(() => loadConfig({ AILB_MASTER_KEY: 'short-secret' })).toThrow(/^AILB_MASTER_KEY: must be at least 16 printable characters.*\(value not shown: it is a secret\)$/);
    expect(() => loadConfig({ AILB_MASTER_KEY: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ AILB_PROTECT_OPS: 'true' })).toThrow(/^AILB_PROTECT_OPS: needs AILB_MASTER_KEY/);
  });

  it('reads keys: hashed or from ${ENV} (hashed at load, the plaintext not kept) and renders only hashes', () => {
    const path = yamlFile(
      [
        'keys:',
        `  - { id: ops, name: Operations, tenant: ops, key_hash: "sha256:${hashApiKey('ops-secret-0123456789')}" }`,
        '  - { id: app, tenant: acme, models: [gpt-4o], limits: { requests_per_minute: 5 }, key: "${APP_KEY}" }',
      ].join('\n'),
    );
    const config = loadConfig({ AILB_CONFIG: path, APP_KEY: 'app-secret-0123456789' });
    expect(config.auth?.keys).toEqual([
      { id: 'ops', name: 'Operations', tenant: 'ops', models: null, limits: null, hash: hashApiKey('ops-secret-0123456789') },
      { id: 'app', name: 'app', tenant: 'acme', models: ['gpt-4o'], limits: { requests_per_minute: 5 }, hash: hashApiKey('app-secret-0123456789') },
    ]);
    expect(JSON.stringify(config)).not.toContain('app-secret-0123456789');
    const rendered = renderConfig(config);
    expect(rendered.keys?.[1]).toEqual({ id: 'app', name: 'app', tenant: 'acme', models: ['gpt-4o'], limits: { requests_per_minute: 5 }, key_hash: `sha256:${hashApiKey('app-secret-0123456789')}` });
  });

  it('refuses a malformed keys: entry naming its key', () => {
    const load = (lines: string[], env: Record<string, string> = {}) => () => loadConfig({ AILB_CONFIG: yamlFile(['keys:', ...lines].join('\n')), ...env });
    expect(load(['  - { id: a, tenant: t }'])).toThrow(/keys\[0\]\.key_hash: give exactly one of key_hash/);
    expect(load(['  - { id: a, tenant: t, key_hash: "md5:abc" }'])).toThrow(/keys\[0\]\.key_hash: must be "sha256:"/);
    expect(load(['  - { id: a, tenant: t, key: "${K}" }'], { K: 'short' })).toThrow(/keys\[0\]\.key: must be at least 16 characters/);
    expect(load(['  - { id: a, tenant: t, key: "${K}" }'], { K: 'short' })).not.toThrow(/short"/);
    expect(load([`  - { id: a, tenant: t, key_hash: "sha256:${'0'.repeat(64)}" }`, `  - { id: a, tenant: u, key_hash: "sha256:${'1'.repeat(64)}" }`])).toThrow(/keys\[1\]\.id: duplicate key id "a"/);
    expect(load([`  - { id: "a b", tenant: t, key_hash: "sha256:${'0'.repeat(64)}" }`])).toThrow(/keys\[0\]\.id: /);
  });

  it('reads tenants: budgets, renders them back, and refuses a bad entry naming it', () => {
    const config = loadConfig({ AILB_CONFIG: yamlFile(['tenants:', '  acme: { budget: { usd: 25, period: monthly } }', '  beta: {}'].join('\n')) });
    expect(config.tenantBudgets).toEqual({ acme: { usd: 25, period: 'monthly' } });
    expect(renderConfig(config).tenants).toEqual({ acme: { budget: { usd: 25, period: 'monthly' } } });
    expect(() => loadConfig({ AILB_CONFIG: yamlFile('tenants:\n  acme: { budget: { usd: 0, period: monthly } }') })).toThrow(/tenants\.acme\.budget\.usd/);
    expect(() => loadConfig({ AILB_CONFIG: yamlFile('tenants:\n  "a b": { budget: { usd: 1, period: daily } }') })).toThrow(/tenants/);
  });
});
