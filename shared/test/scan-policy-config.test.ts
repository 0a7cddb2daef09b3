import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/runtime/config/load-config.js';

/** `scanning.policy` in the YAML and `AILB_SCAN_POLICY`: default `log`, the variable wins, bad values named. */
describe('scanning policy configuration', () => {
  it('defaults to log', () => {
    expect(resolveConfig({}, {}).scanning).toEqual({ policy: 'log' });
  });

  it('takes the file’s policy, and the environment variable over it', () => {
    expect(resolveConfig({ scanning: { policy: 'redact' } }, {}).scanning.policy).toBe('redact');
    expect(resolveConfig({ scanning: { policy: 'redact' } }, { AILB_SCAN_POLICY: 'block' }).scanning.policy).toBe('block');
    expect(resolveConfig({}, { AILB_SCAN_POLICY: ' ' }).scanning.policy).toBe('log');
  });

  it('refuses an unknown policy, naming the variable', () => {
    expect(() => resolveConfig({}, { AILB_SCAN_POLICY: 'strict' })).toThrow(ConfigError);
    expect(() => resolveConfig({}, { AILB_SCAN_POLICY: 'strict' })).toThrow(/AILB_SCAN_POLICY: must be one of off, log, redact, block/);
  });
});
