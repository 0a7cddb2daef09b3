import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startMetricsHttp } from './metrics-http.js';

describe('the worker metrics listener', () => {
  const logger = pino({ level: 'silent' });

  it('serves the registry as Prometheus text on GET /metrics, 404 elsewhere, and closes idempotently', async () => {
    const registry = new Registry();
    new Counter({ name: 'ailb_test_things_total', help: 'Things', registers: [registry] }).inc(3);
    const http = await startMetricsHttp({ host: '127.0.0.1', port: 0, registry: () => registry, logger });
    try {
      const response = await fetch(`${http.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(registry.contentType);
      expect(await response.text()).toContain('ailb_test_things_total 3');
      expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
      const missing = await fetch(`${http.url}/v1/chat/completions`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await fetch(`${http.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await Promise.all([http.close(), http.close()]);
    }
    await expect(fetch(`${http.url}/metrics`)).rejects.toThrow();
  });
});
