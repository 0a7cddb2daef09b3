import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type AppConfig, type CircuitPolicy, type ProviderConfig } from '@ailb/shared';
import { resolveKnowledge } from '@ailb/shared/runtime';

/** A circuit policy for tests that are not about circuits. */
export const NEVER_OPENS: CircuitPolicy = { ...DEFAULT_CIRCUIT, failureThreshold: 1_000_000, cooldownMs: 1000 };

/**
 * Providers of all three types, each pointing at one simulated provider. The OpenAI and Anthropic
 * deployments list their models; the Ollama one discovers them from /api/tags.
 */
export function simulatedProviders(simulatorUrl: string): ProviderConfig[] {
  return [
    { id: 'oa', type: 'openai', base_url: `${simulatorUrl}/v1`, api_key: 'sk-test-openai-key-123456', models: ['sim-small'], default_max_tokens: 4096 },
    { id: 'an', type: 'anthropic', base_url: simulatorUrl, api_key: 'sk-ant-test-key-123456', models: ['sim-small'], default_max_tokens: 4096 },
    { id: 'ol', type: 'ollama', base_url: simulatorUrl, default_max_tokens: 4096 },
  ];
}

/** A complete config for an in-test server on a random loopback port. */
export function testConfig(overrides: Partial<AppConfig> & Pick<AppConfig, 'providers'>): AppConfig {
  return {
    moduleId: 'ailb-test',
    http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024, jsonMaxDepth: 64 },
    grpc: { host: '127.0.0.1', port: 0 },
    redis: { url: null, prefix: 'ailb' },
    // Short backoff keeps retry tests quick; the time limits are the production defaults. Circuits
    // practically never open here: fault tests would otherwise trip them for the tests that follow
    // (the circuit breaker has tests of its own).
    routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: { ...DEFAULT_RETRIES, backoffBaseMs: 20, backoffMaxMs: 100 }, circuit: NEVER_OPENS, ewmaAlpha: 0.1 },
    requestTimeoutMs: 15_000,
    worker: { concurrency: 16, lockMs: 10_000 },
    // Every trace is kept: tests read the traces of plain successes too.
    tracing: { successSampleRate: 1 },
    scanning: { policy: 'log' },
    routes: [],
    demo: false,
    // Memory and RAG off: only the tests about them start an embedder (and its Chroma).
    knowledge: resolveKnowledge({ ENABLE_MEMORY: false, ENABLE_RAG: false }, {}),
    logLevel: 'silent',
    deployment: { version: 'test', promotionStepMs: 10_000 },
    ...overrides,
  };
}
