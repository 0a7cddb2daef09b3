import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type AppConfig } from '@ailb/shared';
import { resolveKnowledge } from '@ailb/shared/runtime';

/** A gateway configuration for app.inject() tests: one deployment `p` serving `m`, nothing listening. */
export function testAppConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    moduleId: 'test',
    http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024, jsonMaxDepth: 64 },
    grpc: { host: '127.0.0.1', port: 0 },
    redis: { url: null, prefix: 'ailb' },
    routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: DEFAULT_RETRIES, circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 },
    requestTimeoutMs: 5000,
    worker: { concurrency: 4, lockMs: 10_000 },
    tracing: { successSampleRate: 0 },
    scanning: { policy: 'log' },
    providers: [{ id: 'p', type: 'openai', models: ['m'], default_max_tokens: 4096 }],
    routes: [],
    demo: false,
    knowledge: resolveKnowledge({}, {}),
    logLevel: 'silent',
    deployment: { version: 'test', promotionStepMs: 10_000 },
    ...overrides,
  };
}
