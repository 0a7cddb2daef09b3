import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config/load-config.js';

/** METRICS_PORT / METRICS_HOST: the split worker's and embedder's own metrics listener. */
describe('metrics listener configuration', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379', OPENAI_API_KEY: 'sk-test-key' };

  it('is off without METRICS_PORT', () => {
    expect(loadConfig(base, 'worker').metrics).toBeUndefined();
  });

  it('listens on loopback unless METRICS_HOST says otherwise; 0 is a free port', () => {
    expect(loadConfig({ ...base, METRICS_PORT: '9464' }, 'worker').metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ ...base, METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }, 'embedder').metrics).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it.each([
    [{ METRICS_PORT: 'ninety' }, /^METRICS_PORT: /],
    [{ METRICS_PORT: '70000' }, /^METRICS_PORT: /],
    [{ METRICS_PORT: '9464', METRICS_HOST: 'two words' }, /^METRICS_HOST: /],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env }, 'worker')).toThrow(message);
  });
});
