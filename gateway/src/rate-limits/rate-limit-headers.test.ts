import { describe, expect, it } from 'vitest';
import { openAIDuration } from './rate-limit-headers.js';

describe('openAIDuration', () => {
  it('writes durations as OpenAI’s x-ratelimit-reset-* headers do', () => {
    expect([0, 20, 999, 1000, 1500, 12_345, 59_999, 60_000, 360_000, 3_599_001, 3_600_000, 5_430_500].map(openAIDuration)).toEqual([
      '0s',
      '20ms',
      '999ms',
      '1s',
      '1.5s',
      '12.345s',
      '59.999s',
      '1m0s',
      '6m0s',
      '59m59.001s',
      '1h0m0s',
      '1h30m30.5s',
    ]);
  });
});
