import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/runtime/config/load-config.js';

const directories: string[] = [];
function yamlFile(text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-config-'));
  directories.push(directory);
  const path = join(directory, 'ailb.yaml');
  writeFileSync(path, text);
  return path;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('runs the demo when nothing is configured, with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      demo: true,
      providers: [],
      // Nobody has to authenticate: loopback only (see the bind-default test).
      http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 10 * 1024 * 1024 },
      grpc: { port: 50051 },
      redis: { url: null, prefix: 'ailb' },
      routing: { strategy: 'round_robin' },
      requestTimeoutMs: 120_000,
      worker: { concurrency: 64 },
      moduleId: 'ailb',
    });
  });

  it("turns the seed's env vars into provider deployments", () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-a',
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      OPENAI_MODELS: 'gpt-4o, gpt-4o-mini',
      ANTHROPIC_API_KEY: 'sk-ant',
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434',
      HTTP_PORT: '9000',
      GRPC_PORT: '50052',
      MODULE_ID: 'ailb-7',
      ROUTING_STRATEGY: 'failover',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.demo).toBe(false);
    expect(config.providers.map((provider) => [provider.id, provider.type, provider.models])).toEqual([
      ['openai', 'openai', ['gpt-4o', 'gpt-4o-mini']],
      ['anthropic', 'anthropic', undefined],
      ['ollama', 'ollama', undefined],
    ]);
    expect(config.providers[0]!.base_url).toBe('http://127.0.0.1:8000/v1');
    expect(config).toMatchObject({ http: { port: 9000 }, grpc: { port: 50052 }, moduleId: 'ailb-7', routing: { strategy: 'failover' }, redis: { url: 'redis://127.0.0.1:6379' } });
  });

  it('reads the YAML file with ${ENV} interpolation; env providers join it', () => {
    const path = yamlFile(`
providers:
  - { id: openai-main, type: openai, base_url: "https://api.openai.com/v1", api_key: "\${MY_KEY}", models: [gpt-4o, gpt-4o-mini] }
  - { id: local, type: ollama, base_url: "http://127.0.0.1:11434" }
routing: { strategy: random }
server: { http_port: 7000, request_timeout_ms: 5000 }
worker: { concurrency: 8 }
`);
    const config = loadConfig({ AILB_CONFIG: path, MY_KEY: 'sk-from-env', ANTHROPIC_API_KEY: 'sk-ant' });
    expect(config.providers.map((provider) => provider.id)).toEqual(['openai-main', 'local', 'anthropic']);
    expect(config.providers[0]!.api_key).toBe('sk-from-env');
    expect(config.providers[1]!.models).toBeUndefined();
    expect(config).toMatchObject({ routing: { strategy: 'random' }, http: { port: 7000 }, requestTimeoutMs: 5000, worker: { concurrency: 8 } });
  });

  it('reads routing timeouts and retries, defaulting what is not given', () => {
    const path = yamlFile(`
routing:
  timeouts: { first_token_ms: 2000, total_ms: 30000 }
  retries: { max_attempts_per_target: 3, backoff_base_ms: 100 }
`);
    const config = loadConfig({ AILB_CONFIG: path });
    expect(config.routing.timeouts).toEqual({ connectMs: 5000, firstTokenMs: 2000, stallMs: 10_000, totalMs: 30_000 });
    expect(config.routing.retries).toEqual({ maxAttemptsPerTarget: 3, backoffBaseMs: 100, backoffMaxMs: 4000 });
    expect(loadConfig({}).routing.timeouts).toEqual({ connectMs: 5000, firstTokenMs: 10_000, stallMs: 10_000, totalMs: 120_000 });
  });

  it('names an invalid routing timeout key', () => {
    const path = yamlFile('routing:\n  timeouts: { first_token: 5 }');
    expect(() => loadConfig({ AILB_CONFIG: path })).toThrow(/routing\.timeouts\.first_token/);
  });

  it('treats variables set to an empty string as unset', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: '', OPENAI_MODELS: '', ANTHROPIC_API_KEY: '', AILB_CONFIG: '', REDIS_URL: '' });
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]!.base_url).toBeUndefined();
    expect(config.redis.url).toBeNull();
  });

  it.each([
    [{ HTTP_PORT: 'eighty' }, /^HTTP_PORT: /],
    [{ ROUTING_STRATEGY: 'fastest' }, /^ROUTING_STRATEGY: must be one of/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: /],
    [{ OLLAMA_BASE_URL: 'not a url' }, /^OLLAMA_BASE_URL: /],
    [{ AILB_WORKER_CONCURRENCY: '0' }, /^AILB_WORKER_CONCURRENCY: /],
  ])('rejects %o with a message naming the key', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['providers:\n  - { id: x, type: azure, api_key: k }', /providers\[0\]\.type/],
    ['providers:\n  - { id: x, type: openai }', /providers\[0\]\.api_key: required/],
    ['providers:\n  - { id: x, type: ollama }', /providers\[0\]\.base_url: required/],
    ['providers:\n  - { id: x, type: openai, api_key: "${MISSING_VAR}" }', /providers\[0\]\.api_key: environment variable MISSING_VAR is not set/],
    ['providers:\n  - { id: x, type: openai, api_key: k }\n  - { id: x, type: openai, api_key: k }', /providers\[1\]\.id: duplicate/],
    ['providers:\n  - { id: x, type: openai, api_key: k, modles: [a] }', /providers\[0\]\.modles/],
    ['server: { http_port: -1 }', /server\.http_port/],
    ['providers: [', /not valid YAML/],
  ])('rejects invalid YAML config %#', (text, message) => {
    const path = yamlFile(text);
    expect(() => loadConfig({ AILB_CONFIG: path })).toThrow(message);
  });

  it('reads routes with their defaults and keeps routing.strategy', () => {
    const path = yamlFile(`
providers:
  - { id: openai-main, type: openai, api_key: k, models: [gpt-4o] }
  - { id: anthropic, type: anthropic, api_key: k, models: [claude-sonnet-4-5] }
routing: { strategy: latency_optimized }
routes:
  - model: smart
    strategy: failover
    targets:
      - { provider: openai-main, model: gpt-4o, priority: 0, weight: 2,
          price: { input: 2.5, output: 10 }, max_concurrency: 64 }
      - { provider: anthropic, model: claude-sonnet-4-5, priority: 1 }
    fallbacks: [smart-long, anthropic/claude-sonnet-4-5]
    context_fallback: smart-long
  - model: smart-long
    targets: [{ provider: anthropic, model: claude-sonnet-4-5 }]
`);
    const config = loadConfig({ AILB_CONFIG: path });
    expect(config.routing.strategy).toBe('latency_optimized');
    expect(config.routes).toEqual([
      {
        model: 'smart',
        strategy: 'failover',
        targets: [
          { provider: 'openai-main', model: 'gpt-4o', priority: 0, weight: 2, price: { input: 2.5, output: 10 }, max_concurrency: 64 },
          { provider: 'anthropic', model: 'claude-sonnet-4-5', priority: 1, weight: 1 },
        ],
        fallbacks: ['smart-long', 'anthropic/claude-sonnet-4-5'],
        context_fallback: 'smart-long',
      },
      { model: 'smart-long', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5', priority: 0, weight: 1 }], fallbacks: [] },
    ]);
    expect(loadConfig({}).routes).toEqual([]);
  });

  it('checks route targets against providers that come from env vars too', () => {
    const path = yamlFile('routes:\n  - { model: fast, targets: [{ provider: openai, model: gpt-4o-mini }] }');
    expect(loadConfig({ AILB_CONFIG: path, OPENAI_API_KEY: 'sk-a' }).routes[0]!.targets[0]!.provider).toBe('openai');
  });

  const twoProviders = 'providers:\n  - { id: a, type: openai, api_key: k, models: [m1] }\n  - { id: b, type: openai, api_key: k }\n';
  it.each([
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1 }, { provider: x, model: m1 }] }', /^routes\[0\]\.targets\[1\]\.provider: unknown provider "x"$/],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1 }] }\n  - { model: r, targets: [{ provider: b, model: m1 }] }', /^routes\[1\]\.model: duplicate route "r"$/],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1 }], fallbacks: [m1, nope] }', /^routes\[0\]\.fallbacks\[1\]: unknown route "nope"/],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1 }], fallbacks: [r] }', /^routes\[0\]\.fallbacks\[0\]: route "r" cannot fall back to itself$/],
    // b discovers its models, so "b/m9" is not known at start.
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1 }], context_fallback: b/m9 }', /^routes\[0\]\.context_fallback: unknown route "b\/m9"/],
  ])('rejects an inconsistent route %#, naming the key', (routes, message) => {
    const path = yamlFile(twoProviders + routes);
    expect(() => loadConfig({ AILB_CONFIG: path })).toThrow(ConfigError);
    expect(() => loadConfig({ AILB_CONFIG: path })).toThrow(message);
  });

  it.each([
    ['routes:\n  - { model: r, targets: [] }', /routes\[0\]\.targets: /],
    ['routes:\n  - { model: r, strategy: fastest, targets: [{ provider: a, model: m1 }] }', /routes\[0\]\.strategy: /],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1, wieght: 2 }] }', /routes\[0\]\.targets\[0\]\.wieght: /],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1, price: { input: 1 } }] }', /routes\[0\]\.targets\[0\]\.price\.output: /],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1, priority: -1 }] }', /routes\[0\]\.targets\[0\]\.priority: /],
    ['routes:\n  - { model: r, targets: [{ provider: a, model: m1, max_concurrency: 0 }] }', /routes\[0\]\.targets\[0\]\.max_concurrency: /],
  ])('rejects a malformed route %#, naming the key', (routes, message) => {
    const path = yamlFile(twoProviders + routes);
    expect(() => loadConfig({ AILB_CONFIG: path })).toThrow(message);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig({ AILB_CONFIG: '/nonexistent/ailb.yaml' })).toThrow(/^AILB_CONFIG: cannot read/);
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/],
    [{ MODULE_ID: 'has space' }, /^MODULE_ID: /],
    [{ AILB_REDIS_PREFIX: 'a:b' }, /^AILB_REDIS_PREFIX: /],
    [{ GRPC_PORT: '70000' }, /^GRPC_PORT: must be an integer from 0 to 65535, got "70000"$/],
    [{ AILB_REQUEST_TIMEOUT_MS: '1.5' }, /^AILB_REQUEST_TIMEOUT_MS: /],
    [{ AILB_BODY_LIMIT_BYTES: '10' }, /^AILB_BODY_LIMIT_BYTES: /],
    [{ AILB_WORKER_LOCK_MS: 'soon' }, /^AILB_WORKER_LOCK_MS: /],
    [{ HTTP_HOST: 'two words' }, /^HTTP_HOST: /],
    [{ AILB_TRACE_SAMPLE_RATE: '1.5' }, /^AILB_TRACE_SAMPLE_RATE: must be a number from 0 to 1/],
  ])('validates every environment variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the trace sample rate from the file or the environment, 1 % by default', () => {
    expect(loadConfig({}).tracing.successSampleRate).toBe(0.01);
    const path = yamlFile('tracing: { success_sample_rate: 0.25 }');
    expect(loadConfig({ AILB_CONFIG: path }).tracing.successSampleRate).toBe(0.25);
    expect(loadConfig({ AILB_CONFIG: path, AILB_TRACE_SAMPLE_RATE: '0' }).tracing.successSampleRate).toBe(0);
  });

  it('reads memory, RAG, files and embedder settings, environment first, with the documented defaults', () => {
    expect(loadConfig({}).knowledge).toEqual({
      memory: { enabled: true, recentTurns: 4, maxContextTokens: 1000, ttlSeconds: 2_592_000, maxTurns: 200, timeoutMs: 500 },
      rag: { enabled: true, topK: 4, timeoutMs: 500 },
      files: { maxBytes: 10_485_760 },
      embedder: { model: 'use-lite', provider: undefined, allowRemoteModels: false, modelsPath: undefined, chromaUrl: null, dataDir: './.ailb-data', concurrency: 2 },
    });
    const path = yamlFile('memory: { recent_turns: 2, ttl_seconds: 3600, enabled: true }\nrag: { top_k: 8, timeout_ms: 250 }\nembedder: { model: "transformers:/models/minilm", chroma_url: "http://chroma:8000" }\nfiles: { max_bytes: 2048 }');
    const knowledge = loadConfig({ AILB_CONFIG: path, ENABLE_MEMORY: 'false', CHROMA_URL: 'http://127.0.0.1:9000', AILB_DATA_DIR: '/data' }).knowledge;
    expect(knowledge.memory).toMatchObject({ enabled: false, recentTurns: 2, ttlSeconds: 3600 });
    expect(knowledge.rag).toEqual({ enabled: true, topK: 8, timeoutMs: 250 });
    expect(knowledge.files.maxBytes).toBe(2048);
    expect(knowledge.embedder).toMatchObject({ model: 'transformers:/models/minilm', chromaUrl: 'http://127.0.0.1:9000', dataDir: '/data' });
    expect(loadConfig({ MEMORY_BACKEND: 'chromadb', RAG_BACKEND: 'chromadb', ENABLE_RAG: '0' }).knowledge.rag.enabled).toBe(false);
  });

  it('stops on a vector store backend other than chromadb, a bad flag or an unknown embedding model, naming the variable', () => {
    expect(() => loadConfig({ MEMORY_BACKEND: 'faiss' })).toThrow('MEMORY_BACKEND: must be chromadb (the only vector store AILB supports), got "faiss"');
    expect(() => loadConfig({ RAG_BACKEND: 'redis' })).toThrow(/^RAG_BACKEND: must be chromadb/);
    expect(() => loadConfig({ ENABLE_MEMORY: 'maybe' })).toThrow('ENABLE_MEMORY: must be true or false, got "maybe"');
    expect(() => loadConfig({ EMBEDDING_MODEL: 'word2vec' })).toThrow(/^EMBEDDING_MODEL: must be use-lite, transformers:<model>/);
    expect(() => loadConfig({ AILB_CONFIG: yamlFile('memory: { backend: faiss }') })).toThrow(/memory\.backend/);
  });

  it('needs a provider of the right type for an openai: or ollama: embedding model', () => {
    expect(() => loadConfig({ EMBEDDING_MODEL: 'openai:text-embedding-3-small' })).toThrow('embedder.model: openai:text-embedding-3-small needs a provider of type openai; none is configured');
    expect(loadConfig({ EMBEDDING_MODEL: 'openai:text-embedding-3-small', OPENAI_API_KEY: 'sk-x' }).knowledge.embedder.model).toBe('openai:text-embedding-3-small');
    expect(() => loadConfig({ EMBEDDING_MODEL: 'ollama:nomic-embed-text', OPENAI_API_KEY: 'sk-x', AILB_CONFIG: yamlFile('embedder: { provider: openai }') })).toThrow('embedder.provider: "openai" is of type openai, not ollama as embedder.model says');
  });

  describe('per role', () => {
    const shared = 'providers:\n  - { id: main, type: openai, api_key: "${MAIN_KEY}", models: [m1] }\n  - { id: local, type: ollama, base_url: "http://127.0.0.1:11434" }\n';

    it('gives a gateway no provider key: the same file works without the key in its environment', () => {
      const path = yamlFile(shared);
      const config = loadConfig({ AILB_CONFIG: path, REDIS_URL: 'redis://127.0.0.1:6379' }, 'gateway');
      expect(config.providers.map((provider) => provider.id)).toEqual(['main', 'local']);
      expect(config.providers.every((provider) => provider.api_key === undefined)).toBe(true);
      // A worker needs the key the file names.
      expect(() => loadConfig({ AILB_CONFIG: path, REDIS_URL: 'redis://127.0.0.1:6379' }, 'worker')).toThrow(/providers\[0\]\.api_key: environment variable MAIN_KEY is not set/);
      expect(loadConfig({ AILB_CONFIG: path, REDIS_URL: 'redis://127.0.0.1:6379', MAIN_KEY: 'sk-main' }, 'worker').providers[0]!.api_key).toBe('sk-main');
    });

    it('drops env keys in a gateway and declares env deployments from any of their variables', () => {
      const gateway = loadConfig({ REDIS_URL: 'redis://h:1', OPENAI_API_KEY: 'sk-a', ANTHROPIC_MODELS: 'claude-x' }, 'gateway');
      expect(gateway.providers.map((provider) => [provider.id, provider.api_key, provider.models])).toEqual([
        ['openai', undefined, undefined],
        ['anthropic', undefined, ['claude-x']],
      ]);
      // A worker enables a deployment only with its key.
      expect(loadConfig({ REDIS_URL: 'redis://h:1', OPENAI_API_KEY: 'sk-a', ANTHROPIC_MODELS: 'claude-x' }, 'worker').providers.map((provider) => provider.id)).toEqual(['openai']);
    });

    it('requires REDIS_URL and a provider in split-mode roles; only standalone serves the demo', () => {
      expect(() => loadConfig({ OPENAI_API_KEY: 'sk-a' }, 'gateway')).toThrow(/^REDIS_URL: required for the gateway role/);
      expect(() => loadConfig({ OPENAI_API_KEY: 'sk-a' }, 'worker')).toThrow(/^REDIS_URL: required for the worker role/);
      expect(() => loadConfig({ REDIS_URL: 'redis://h:1' }, 'worker')).toThrow(/^providers: none configured/);
      expect(loadConfig({}, 'standalone').demo).toBe(true);
    });
  });
});
