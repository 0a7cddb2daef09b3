import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalAddress, formatRateLimitTarget, parseRateLimitRule, parseRateLimitTarget, rateLimitBuckets } from '../src/index.js';
import { loadConfig } from '../src/runtime/config/load-config.js';

/* Rate-limit rules: targets, validation, their buckets, and the `rate_limits:` list of the YAML file. */

const directories: string[] = [];
function yamlFile(text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-rate-limits-'));
  directories.push(directory);
  const path = join(directory, 'ailb.yaml');
  writeFileSync(path, text);
  return path;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('rate-limit targets', () => {
  it('reads everything, models and client addresses, keeping addresses canonical', () => {
    expect(parseRateLimitTarget('*')).toEqual({ target: { kind: 'all' } });
    expect(parseRateLimitTarget('model:gpt-4o')).toEqual({ target: { kind: 'model', model: 'gpt-4o' } });
    expect(parseRateLimitTarget('model:oa/sim:small')).toEqual({ target: { kind: 'model', model: 'oa/sim:small' } });
    expect(parseRateLimitTarget('ip:10.0.0.1')).toEqual({ target: { kind: 'ip', address: '10.0.0.1' } });
    expect(canonicalAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress('::ffff:a00:1')).toBe('10.0.0.1');
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('10.0.0.256')).toBeUndefined();
  });

  it('reads key: and tenant: targets, refuses malformed ones and anything else it does not know', () => {
    expect(parseRateLimitTarget('key:k1')).toEqual({ target: { kind: 'key', keyId: 'k1' } });
    expect(parseRateLimitTarget('tenant:acme')).toEqual({ target: { kind: 'tenant', tenant: 'acme' } });
    expect(formatRateLimitTarget({ kind: 'tenant', tenant: 'acme' })).toBe('tenant:acme');
    expect(parseRateLimitTarget('key:')).toEqual({ error: expect.stringMatching(/an API key id/) });
    expect(parseRateLimitTarget('tenant:a b')).toEqual({ error: expect.stringMatching(/a tenant/) });
    for (const target of ['', 'model:', 'model: spaced', 'ip:10.0.0.0/8', 'route:x', 'everything']) expect(parseRateLimitTarget(target)).toHaveProperty('error');
  });
});

describe('rate-limit rules', () => {
  it('applies defaults and stores the target canonical', () => {
    expect(parseRateLimitRule({ id: 'r', target: 'ip:::ffff:192.168.1.2', perMinute: 5 })).toEqual({
      rule: { id: 'r', target: 'ip:192.168.1.2', perSecond: 0, perMinute: 5, perHour: 0, perDay: 0, burst: 0, tokensPerSecond: 0, tokensPerMinute: 0, tokensPerHour: 0, tokensPerDay: 0, enabled: true, metadata: {} },
    });
  });

  it('names the field of every problem', () => {
    expect(parseRateLimitRule({ id: 'r', target: '*' })).toEqual({ issues: [{ field: 'perSecond', message: expect.stringMatching(/at least one/) }] });
    expect(parseRateLimitRule({ id: 'r', target: '*', perHour: 1.5, burst: 2 })).toEqual({
      issues: [{ field: 'perHour', message: 'must be a whole number' }],
    });
    expect(parseRateLimitRule({ id: 'r', target: '*', perMinute: 1, burst: 2 })).toEqual({ issues: [{ field: 'burst', message: expect.stringMatching(/per-second limit/) }] });
    expect(parseRateLimitRule({ id: 'r', target: '*', perMinute: 1, extra: true })).toEqual({ issues: [{ field: 'extra', message: expect.any(String) }] });
  });

  it('has one bucket per limited window, the burst enlarging only the per-second one', () => {
    const parsed = parseRateLimitRule({ id: 'r', target: '*', perSecond: 10, burst: 5, perHour: 1000 });
    if (!('rule' in parsed)) throw new Error('invalid');
    expect(rateLimitBuckets(parsed.rule)).toEqual([
      { key: 'r:second', ruleId: 'r', window: 'second', unit: 'requests', limit: 10, windowMs: 1000, tickMs: 1, capacity: 15 },
      { key: 'r:hour', ruleId: 'r', window: 'hour', unit: 'requests', limit: 1000, windowMs: 3_600_000, tickMs: 1, capacity: 1000 },
    ]);
  });
});

describe('rate_limits: in the YAML file', () => {
  it('loads rules marked as coming from the config file', () => {
    const config = loadConfig({
      AILB_CONFIG: yamlFile(
        [
          'rate_limits:',
          '  - { id: all, target: "*", requests_per_second: 20, burst_size: 10 }',
          '  - id: office',
          '    target: "ip:203.0.113.9"',
          '    requests_per_hour: 100',
          '    enabled: false',
          '    metadata: { note: shared NAT, source: spoofed }',
        ].join('\n'),
      ),
    });
    expect(config.rateLimits).toEqual([
      { id: 'all', target: '*', perSecond: 20, perMinute: 0, perHour: 0, perDay: 0, burst: 10, tokensPerSecond: 0, tokensPerMinute: 0, tokensPerHour: 0, tokensPerDay: 0, enabled: true, metadata: { source: 'config' } },
      { id: 'office', target: 'ip:203.0.113.9', perSecond: 0, perMinute: 0, perHour: 100, perDay: 0, burst: 0, tokensPerSecond: 0, tokensPerMinute: 0, tokensPerHour: 0, tokensPerDay: 0, enabled: false, metadata: { note: 'shared NAT', source: 'config' } },
    ]);
    expect(loadConfig({}).rateLimits).toEqual([]);
  });

  it('refuses an invalid entry naming its key, and duplicate ids', () => {
    const load = (lines: string[]) => () => loadConfig({ AILB_CONFIG: yamlFile(['rate_limits:', ...lines].join('\n')) });
    expect(load(['  - { id: a, target: "*", requests_per_minute: 5 }', '  - { id: b, target: "*", requests_per_minute: -1 }'])).toThrow(/rate_limits\[1\]\.requests_per_minute: must be 0 \(no limit\) or more/);
    expect(load(['  - { id: a, target: "key:", requests_per_minute: 5 }'])).toThrow(/rate_limits\[0\]\.target: a "key:" target names an API key id/);
    expect(load(['  - { id: a, target: "*", requests_per_minute: 5, burst_size: 1 }'])).toThrow(/rate_limits\[0\]\.burst_size: /);
    expect(load(['  - { id: a, target: "*", requests_per_minute: 5, per_minute: 1 }'])).toThrow(/rate_limits\[0\]\.per_minute/);
    expect(load(['  - { id: a, target: "*", requests_per_minute: 5 }', '  - { id: a, target: "*", requests_per_hour: 5 }'])).toThrow(/rate_limits\[1\]\.id: duplicate rate limit id "a"/);
  });
});
