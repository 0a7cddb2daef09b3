import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { testAppConfig } from './support/test-app-config.js';

const config = testAppConfig();

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
