import { describe, expect, it } from 'vitest';
import { candidate, context, ids, sequence } from '../../../test/support/route-candidates.js';
import { EXPLORATION_RATE, latencyOptimized } from './latency-optimized.js';

const measured = (provider: string, avgLatencyMs: number) => candidate(provider, { stats: { avgLatencyMs, samples: 10 } });

describe('latencyOptimized', () => {
  const candidates = [measured('slow', 900), measured('fast', 100), measured('medium', 400)];

  it('orders by EWMA latency when the exploration draw does not hit', () => {
    expect(ids(latencyOptimized(candidates, context({ random: sequence(EXPLORATION_RATE) })))).toEqual(['fast', 'medium', 'slow']);
  });

  it('with a small probability puts a random candidate first, the rest still by latency', () => {
    // First draw below the rate explores; the second picks index 2 of the latency order (slow).
    expect(ids(latencyOptimized(candidates, context({ random: sequence(EXPLORATION_RATE / 2, 0.99) })))).toEqual(['slow', 'fast', 'medium']);
    expect(ids(latencyOptimized(candidates, context({ random: sequence(0, 0.5) })))).toEqual(['medium', 'fast', 'slow']);
  });

  it('probes a candidate without samples first, without drawing', () => {
    const withNew = [...candidates, candidate('new'), candidate('stale-number', { stats: { avgLatencyMs: 5, samples: 0 } })];
    expect(ids(latencyOptimized(withNew, context()))).toEqual(['new', 'stale-number', 'fast', 'medium', 'slow']);
  });

  it('keeps config order on equal latency and needs no draw for one candidate', () => {
    expect(ids(latencyOptimized([measured('x', 100), measured('y', 100)], context({ random: sequence(0.5) })))).toEqual(['x', 'y']);
    expect(ids(latencyOptimized([measured('only', 100)], context()))).toEqual(['only']);
  });
});
