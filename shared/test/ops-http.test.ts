import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startOpsHttp, type MetricsSource } from '../src/runtime/index.js';

describe('the ops listener of split workers and embedders', () => {
  const logger = pino({ level: 'silent' });
  const registry: MetricsSource = { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => '# HELP ailb_test_things_total Things\n# TYPE ailb_test_things_total counter\nailb_test_things_total 3\n' };

  it('serves the registry on GET /metrics, /healthz, /readyz when asked, 404 and 405 in the envelope, and closes idempotently', async () => {
    let ready = false;
    const http = await startOpsHttp({ host: '127.0.0.1', port: 0, registry, ready: () => ready, logger, listeningMessage: 'test listening' });
    try {
      const response = await fetch(`${http.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(registry.contentType);
      expect(await response.text()).toContain('ailb_test_things_total 3');
      expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${http.url}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
      const missing = await fetch(`${http.url}/v1/chat/completions`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
      const post = await fetch(`${http.url}/metrics`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET');
    } finally {
      await Promise.all([http.close(), http.close()]);
    }
    await expect(fetch(`${http.url}/metrics`)).rejects.toThrow();
  });

  it('has no /readyz unless asked', async () => {
    const http = await startOpsHttp({ host: '127.0.0.1', port: 0, registry, logger, listeningMessage: 'test listening' });
    try {
      expect((await fetch(`${http.url}/readyz`)).status).toBe(404);
    } finally {
      await http.close();
    }
  });
});
