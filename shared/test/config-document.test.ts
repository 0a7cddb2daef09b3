import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../src/index.js';
import { configFromText, configToText, createConfigSource, mergePatch, redactConfig, renderConfig, REDACTED, resolveConfig } from '../src/runtime/index.js';

/*
 * The running configuration as a document in the file's shape: rendering is the inverse of resolving
 * (so GetConfig's document, sent back, changes nothing), secrets never appear, and a merge patch
 * changes exactly what it names.
 */
const directory = mkdtempSync(join(tmpdir(), 'ailb-config-document-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const FILE = `
providers:
  - { id: main, type: openai, base_url: "https://bot:hunter22@llm.example.com/v1", api_key: "\${MAIN_KEY}", models: [gpt-4o] }
  - { id: claude, type: anthropic, api_key: "sk-ant-literal-0123456789", models: [claude-sonnet-4-5], default_max_tokens: 2048 }
  - { id: local, type: ollama, base_url: "\${OLLAMA_URL}" }
routes:
  - { model: smart, strategy: failover, targets: [{ provider: main, model: gpt-4o, price: { input: 2.5, output: 10 }, max_concurrency: 8 }, { provider: claude, model: claude-sonnet-4-5, priority: 1, timeouts: { first_token_ms: 3000 } }], fallbacks: [cheap], context_fallback: cheap }
  - { model: cheap, targets: [{ provider: local, model: llama3.2 }] }
routing:
  strategy: round_robin
  timeouts: { connect_ms: 1000 }
  retries: { max_attempts_per_target: 3 }
  circuit: { failure_threshold: 4, error_rate_threshold: 0.5 }
  ewma_alpha: 0.2
server: { http_port: 9000, grpc_port: 9001, body_limit_bytes: 4096 }
worker: { concurrency: 3, lock_ms: 2000 }
tracing: { success_sample_rate: 0.25 }
memory: { recent_turns: 2 }
rag: { top_k: 7 }
files: { max_bytes: 2048 }
embedder: { model: use-lite, concurrency: 1 }
rate_limits:
  - { id: everyone, target: "*", requests_per_minute: 600, metadata: { team: ops } }
  - { id: tokens, target: "tenant:acme", requests_per_day: 5000, tokens_per_second: 1000, tokens_per_minute: 40000, tokens_per_hour: 1000000, tokens_per_day: 9000000 }
`;

describe('the configuration as a document', () => {
  const path = join(directory, 'ailb.yaml');
  writeFileSync(path, FILE);
  const env = { AILB_CONFIG: path, MAIN_KEY: 'sk-main-from-env-0123456789', OLLAMA_URL: 'http://127.0.0.1:11434' };
  const { config, written } = createConfigSource(env, 'standalone').read();

  it('renders a document the schema accepts and that resolves to the same configuration', () => {
    const document = renderConfig(config);
    expect(configFileSchema.safeParse(document).success).toBe(true);
    expect(resolveConfig(document, env, 'standalone')).toEqual(config);
    // Through text too, in both formats.
    for (const format of ['yaml', 'json'] as const) expect(configFromText(configToText(document, format), format)).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('redacts every key, env value and URL password, showing env values as the file wrote them', () => {
    const redacted = redactConfig(renderConfig(config), written) as { providers: Array<Record<string, unknown>> };
    const text = JSON.stringify(redacted);
    for (const secret of ['sk-main-from-env', 'sk-ant-literal', 'hunter22', '127.0.0.1:11434']) expect(text).not.toContain(secret);
    expect(redacted.providers.map((provider) => [provider.api_key, provider.base_url])).toEqual([
      [REDACTED, `https://bot:${REDACTED}@llm.example.com/v1`],
      [REDACTED, undefined],
      [undefined, '${OLLAMA_URL}'],
    ]);
  });

  it('redacts a URL password whole (an @ in it included) and credentials in query strings', () => {
    const urls = [
      'https://bot:p@ss@w0rd-tail@llm.example.com/v1',
      'https://llm.example.com/openai/v1?api-version=2024-06-01&api-key=azure-secret-1',
      'http://127.0.0.1:9/v1?key=gemini-secret-2&x=1',
      'https://u:pw-secret-3@h.example/v1?access_token=tok-secret-4&sig=sig-secret-5&client_secret=cs-secret-6&password=pw-secret-7&mode=fast',
      'redis://default:redis-secret-8@cache:6379/0',
    ];
    const document = { providers: urls.map((base_url, index) => ({ id: `p${index}`, type: 'openai', base_url, models: ['m'] })) } as never;
    const redacted = redactConfig(document, {}) as { providers: Array<{ base_url: string }> };
    const text = JSON.stringify(redacted);
    for (const secret of ['ss@w0rd', 'w0rd-tail', 'azure-secret', 'gemini-secret', 'pw-secret', 'tok-secret', 'sig-secret', 'cs-secret', 'redis-secret']) expect(text).not.toContain(secret);
    expect(redacted.providers.map((provider) => provider.base_url)).toEqual([
      `https://bot:${REDACTED}@llm.example.com/v1`,
      `https://llm.example.com/openai/v1?api-version=2024-06-01&api-key=${REDACTED}`,
      `http://127.0.0.1:9/v1?key=${REDACTED}&x=1`,
      `https://u:${REDACTED}@h.example/v1?access_token=${REDACTED}&sig=${REDACTED}&client_secret=${REDACTED}&password=${REDACTED}&mode=fast`,
      `redis://default:${REDACTED}@cache:6379/0`,
    ]);
    // Nothing to redact: the value stays exactly as it was.
    expect(redactConfig({ providers: [{ id: 'x', type: 'openai', base_url: 'HTTP://Example.com:443/v1?model=a', models: ['m'] }] } as never, {})).toEqual({ providers: [{ id: 'x', type: 'openai', base_url: 'HTTP://Example.com:443/v1?model=a', models: ['m'] }] });
  });

  it('applies a JSON Merge Patch: objects merge, null removes, arrays replace', () => {
    const target = { routing: { strategy: 'failover', timeouts: { connect_ms: 1, total_ms: 2 } }, routes: [{ model: 'a' }, { model: 'b' }], tracing: { success_sample_rate: 1 } };
    const patch = { routing: { timeouts: { total_ms: 5 }, strategy: null }, routes: [{ model: 'c' }], server: { http_port: 1 } };
    expect(mergePatch(target, patch)).toEqual({ routing: { timeouts: { connect_ms: 1, total_ms: 5 } }, routes: [{ model: 'c' }], tracing: { success_sample_rate: 1 }, server: { http_port: 1 } });
    expect(target.routing.strategy).toBe('failover');
  });
});

describe('a configuration source', () => {
  const env = { ROUTING_STRATEGY: 'random', SECRET: 'sk-from-env-0123456789', MODEL: 'gpt-4o' };
  const document = {
    providers: [{ id: 'p', type: 'openai', api_key: 'sk-literal-0123456789', models: ['gpt-4o'] }],
    routes: [{ model: '${SECRET}', targets: [{ provider: 'p', model: '${MODEL}' }] }],
    routing: { strategy: 'failover' },
  };

  it('never interpolates a document it resolves (sent over the network, or stored): ${…} stays text', () => {
    const resolution = createConfigSource(env, 'standalone').resolve(document);
    if ('problems' in resolution) throw new Error(resolution.problems.join('; '));
    expect(resolution.reading.config.routes).toEqual([expect.objectContaining({ model: '${SECRET}', targets: [expect.objectContaining({ model: '${MODEL}' })] })]);
    // Env vars still win over the document, as at start.
    expect(resolution.reading.config.routing.strategy).toBe('random');
  });

  it('resolves the file as written the way it was read, without the env vars that override changeable keys', () => {
    const resolution = createConfigSource(env, 'standalone').resolveFile(document);
    if ('problems' in resolution) throw new Error(resolution.problems.join('; '));
    expect(resolution.reading.config.routes[0]).toMatchObject({ model: 'sk-from-env-0123456789', targets: [{ model: 'gpt-4o' }] });
    expect(resolution.reading.config.routing.strategy).toBe('failover');
    expect(createConfigSource({}, 'standalone').resolveFile(document)).toEqual({ problems: ['routes[0].model: environment variable SECRET is not set'] });
  });
});
