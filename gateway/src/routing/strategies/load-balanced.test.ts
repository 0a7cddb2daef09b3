import { describe, expect, it } from 'vitest';
import { candidate, context, ids } from '../../../test/support/route-candidates.js';
import { loadBalanced } from './load-balanced.js';

describe('loadBalanced', () => {
  it('puts the fewest in-flight requests first', () => {
    const ordered = loadBalanced(
      [
        candidate('busy', { stats: { inFlight: 9, avgLatencyMs: 50, samples: 3 } }),
        candidate('idle', { stats: { inFlight: 0, avgLatencyMs: 800, samples: 3 } }),
        candidate('some', { stats: { inFlight: 2, avgLatencyMs: 50, samples: 3 } }),
      ],
      context(),
    );
    expect(ids(ordered)).toEqual(['idle', 'some', 'busy']);
  });

  it('breaks ties by latency (unmeasured first), then config order', () => {
    const ordered = loadBalanced(
      [
        candidate('slow', { stats: { inFlight: 1, avgLatencyMs: 800, samples: 3 } }),
        candidate('fast', { stats: { inFlight: 1, avgLatencyMs: 100, samples: 3 } }),
        candidate('new', { stats: { inFlight: 1 } }),
        candidate('fast-too', { stats: { inFlight: 1, avgLatencyMs: 100, samples: 7 } }),
      ],
      context(),
    );
    expect(ids(ordered)).toEqual(['new', 'fast', 'fast-too', 'slow']);
  });
});
