import { describe, expect, it } from 'vitest';
import type { CircuitPolicy } from '../src/contracts/config/config.schema.js';
import { circuitState, CLOSED_CIRCUIT, DEFAULT_CIRCUIT, nextCircuit, targetKey, type CircuitRecord } from '../src/contracts/cluster-state/circuit.js';

const policy: CircuitPolicy = { ...DEFAULT_CIRCUIT, failureThreshold: 3, cooldownMs: 1000 };

function run(outcomes: string, rules: CircuitPolicy, start: CircuitRecord = CLOSED_CIRCUIT): CircuitRecord {
  let record = start;
  [...outcomes].forEach((outcome, index) => {
    record = nextCircuit(record, outcome === 'x' ? 'failure' : 'success', rules, 10 * (index + 1));
  });
  return record;
}

describe('circuit breaker rules', () => {
  it('opens after the threshold of consecutive failures, and a success in between resets the count', () => {
    expect(run('xx', policy)).toMatchObject({ open: false, consecutiveFailures: 2, openedAt: null });
    expect(run('xx.', policy)).toMatchObject({ open: false, consecutiveFailures: 0 });
    expect(run('xx.xxx', policy)).toMatchObject({ open: true, consecutiveFailures: 3, openedAt: 60 });
  });

  it('is open during the cooldown, half-open after it, and a failed probe re-opens it for another cooldown', () => {
    const open = run('xxx', policy);
    expect(circuitState(open, policy, 1029)).toBe('open');
    expect(circuitState(open, policy, 1030)).toBe('half_open');
    const reopened = nextCircuit(open, 'failure', policy, 2100);
    expect(reopened).toMatchObject({ open: true, openedAt: 2100 });
    expect(circuitState(reopened, policy, 2500)).toBe('open');
    expect(nextCircuit(reopened, 'success', policy, 3200)).toEqual(CLOSED_CIRCUIT);
  });

  it('is not closed by a success of an attempt that started before it opened', () => {
    const open = run('xxx', policy);
    expect(nextCircuit(open, 'success', policy, 100, 25)).toBe(open);
    expect(nextCircuit(open, 'success', policy, 100, 31)).toEqual(CLOSED_CIRCUIT);
  });

  it('opens on a high error rate that never reaches the consecutive threshold, once enough samples exist', () => {
    const rates: CircuitPolicy = { ...policy, failureThreshold: 100, errorRateThreshold: 0.5, minSamples: 10, errorRateAlpha: 0.2 };
    // Alternating failures: never two in a row, but half of all attempts fail.
    expect(run('x.x.x.x.', rates).open).toBe(false);
    const flaky = run('x.x.x.x.xx', rates);
    expect(flaky).toMatchObject({ open: true, samples: 10 });
    expect(flaky.errorRate).toBeGreaterThanOrEqual(0.5);
    // Not before minSamples, and without a rate threshold the same history stays closed.
    expect(run('x.x.x.x.xx', { ...rates, minSamples: 11 }).open).toBe(false);
    expect(run('x.x.x.x.xx', { ...rates, errorRateThreshold: undefined }).open).toBe(false);
  });

  it('names a target as provider/model', () => {
    expect(targetKey({ provider: 'oa', model: 'gpt-4o' })).toBe('oa/gpt-4o');
  });
});
