import { describe, expect, it } from 'vitest';
import { circuitState, CLOSED_CIRCUIT, nextCircuit, targetKey, type CircuitRecord } from '../src/state/circuit.js';

const policy = { failureThreshold: 3, cooldownMs: 1000 };

describe('circuit breaker rules', () => {
  it('opens after the threshold of consecutive failures, and a success in between resets the count', () => {
    let record: CircuitRecord = CLOSED_CIRCUIT;
    record = nextCircuit(record, 'failure', policy, 10);
    record = nextCircuit(record, 'failure', policy, 20);
    expect(record).toEqual({ open: false, consecutiveFailures: 2, openedAt: null });
    record = nextCircuit(record, 'success', policy, 30);
    expect(record).toEqual(CLOSED_CIRCUIT);
    for (const at of [40, 50, 60]) record = nextCircuit(record, 'failure', policy, at);
    expect(record).toEqual({ open: true, consecutiveFailures: 3, openedAt: 60 });
  });

  it('is open during the cooldown, half-open after it, and a failed probe re-opens it for another cooldown', () => {
    const open: CircuitRecord = { open: true, consecutiveFailures: 3, openedAt: 1000 };
    expect(circuitState(open, policy, 1999)).toBe('open');
    expect(circuitState(open, policy, 2000)).toBe('half_open');
    const reopened = nextCircuit(open, 'failure', policy, 2100);
    expect(reopened).toEqual({ open: true, consecutiveFailures: 4, openedAt: 2100 });
    expect(circuitState(reopened, policy, 2500)).toBe('open');
    expect(circuitState(nextCircuit(reopened, 'success', policy, 3200), policy, 3200)).toBe('closed');
  });

  it('names a target as provider/model', () => {
    expect(targetKey({ provider: 'oa', model: 'gpt-4o' })).toBe('oa/gpt-4o');
  });
});
