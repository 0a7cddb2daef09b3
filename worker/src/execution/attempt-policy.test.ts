import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isSilence, mostMeaningfulError, nextStep, nextStepFor } from './attempt-policy.js';

const failure = (code: ConstructorParameters<typeof GatewayError>[0], retryAfterMs?: number) => new GatewayError(code, code, { provider: 'p', retryAfterMs });

describe('nextStep', () => {
  it.each([
    ['upstream_error', 'retry'],
    ['upstream_rate_limited', 'retry'],
    ['upstream_timeout', 'retry'],
    ['upstream_unreachable', 'retry'],
    ['upstream_overloaded', 'retry'],
    ['upstream_auth_failed', 'next_target'],
    ['upstream_not_found', 'next_target'],
    ['upstream_bad_request', 'stop'],
    ['context_length_exceeded', 'stop'],
    ['content_policy_violation', 'stop'],
    ['internal_error', 'stop'],
  ] as const)('%s → %s', (code, step) => {
    expect(nextStep(failure(code))).toBe(step);
  });
});

describe('nextStepFor: silence and probes', () => {
  const connectTimeout = new GatewayError('upstream_unreachable', 'Provider p could not be reached: connect timeout', { provider: 'p', cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) });
  const refused = new GatewayError('upstream_unreachable', 'refused', { provider: 'p', cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

  it('counts timeouts and connect timeouts as silence, a refused connection not', () => {
    expect(isSilence(failure('upstream_timeout'))).toBe(true);
    expect(isSilence(connectTimeout)).toBe(true);
    expect(isSilence(refused)).toBe(false);
    expect(isSilence(failure('upstream_error'))).toBe(false);
  });

  it('moves on from a silent target unless retry_on_timeout, and never retries a probe', () => {
    const plain = { probe: undefined };
    expect(nextStepFor(failure('upstream_timeout'), plain, {})).toBe('next_target');
    expect(nextStepFor(connectTimeout, plain, { retryOnTimeout: false })).toBe('next_target');
    expect(nextStepFor(failure('upstream_timeout'), plain, { retryOnTimeout: true })).toBe('retry');
    expect(nextStepFor(refused, plain, {})).toBe('retry');
    expect(nextStepFor(failure('upstream_error'), { probe: true }, { retryOnTimeout: true })).toBe('next_target');
    // A verdict on the request stays a verdict, probe or not.
    expect(nextStepFor(failure('upstream_bad_request'), { probe: true }, {})).toBe('stop');
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, with half of each step jittered', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 250, 4000, () => 0))).toEqual([125, 250, 500, 1000, 2000, 2000]);
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, 250, 4000, () => 0.999999))).toEqual([250, 500, 1000]);
  });

  it('never waits zero unless the base is zero', () => {
    expect(backoffDelay(1, 100, 1000, () => 0)).toBeGreaterThan(0);
    expect(backoffDelay(3, 0, 1000, () => 0.5)).toBe(0);
  });
});

describe('mostMeaningfulError', () => {
  it('prefers a rate limit with the shortest wait over resets and server errors, whatever the order', () => {
    const chosen = mostMeaningfulError([failure('upstream_unreachable'), failure('upstream_rate_limited', 9000), failure('upstream_error'), failure('upstream_rate_limited', 2000)]);
    expect(chosen).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 2000 });
  });

  it('prefers a timeout over a connection failure, and returns undefined for no failures', () => {
    expect(mostMeaningfulError([failure('upstream_unreachable'), failure('upstream_timeout')])?.code).toBe('upstream_timeout');
    expect(mostMeaningfulError([])).toBeUndefined();
  });
});
