import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/runtime/index.js';

/* VERSION and the promotion step: blue/green settings every role reads from its environment. */
describe('deployment configuration', () => {
  const rootVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

  it('defaults VERSION to the root package.json version and the promotion step to 10 s', () => {
    expect(loadConfig({}).deployment).toEqual({ version: rootVersion, promotionStepMs: 10_000 });
  });

  it('reads VERSION and AILB_PROMOTION_STEP_MS', () => {
    expect(loadConfig({ VERSION: 'v2.1-canary', AILB_PROMOTION_STEP_MS: '500' }).deployment).toEqual({ version: 'v2.1-canary', promotionStepMs: 500 });
  });

  it('refuses a VERSION that cannot name a queue lane, and a step under 100 ms', () => {
    expect(() => loadConfig({ VERSION: 'v2:beta' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERSION: 'v2:beta' })).toThrow(/^VERSION: /);
    expect(() => loadConfig({ AILB_PROMOTION_STEP_MS: '10' })).toThrow(/^AILB_PROMOTION_STEP_MS: /);
  });
});
