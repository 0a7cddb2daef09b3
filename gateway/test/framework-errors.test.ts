import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type AppConfig } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport, resolveKnowledge } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';

const config: AppConfig = {
  moduleId: 'test',
  http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024 },
  grpc: { port: 0 },
  redis: { url: null, prefix: 'ailb' },
  routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: DEFAULT_RETRIES, circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 },
  requestTimeoutMs: 5000,
  worker: { concurrency: 4, lockMs: 10_000 },
  tracing: { successSampleRate: 0 },
  providers: [{ id: 'p', type: 'openai', models: ['m'], default_max_tokens: 4096 }],
  routes: [],
  demo: false,
  knowledge: resolveKnowledge({}, {}),
  logLevel: 'silent',
};

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ config, producer: new InProcessTransport(pino({ level: 'silent' })).producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore(), logger: pino({ level: 'silent' }) });
});
afterAll(() => app.close());

describe('URLs Fastify cannot route', () => {
  it('answers a malformed percent-encoding in OpenAI’s envelope', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/files/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_value' } });
  });

  it('routes a 256-character session id (no 414 in Fastify’s own shape)', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/memory/sessions/${'s'.repeat(256)}` });
    // No embedder runs here: the route was reached and answered in the envelope.
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'no_embedder_available' } });
  });
});
