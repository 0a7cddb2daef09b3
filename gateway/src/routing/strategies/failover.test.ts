import { describe, expect, it } from 'vitest';
import { candidate, context, ids } from '../../../test/support/route-candidates.js';
import { failover } from './failover.js';

describe('failover', () => {
  it('orders by priority ascending, equal priorities in config order, ignoring stats and price', () => {
    const ordered = failover(
      [
        candidate('backup', { priority: 2 }),
        candidate('primary', { priority: 0, stats: { avgLatencyMs: 9000, samples: 5 } }),
        candidate('secondary-a', { priority: 1 }),
        candidate('secondary-b', { priority: 1, price: { input: 0, output: 0 } }),
      ],
      context(),
    );
    expect(ids(ordered)).toEqual(['primary', 'secondary-a', 'secondary-b', 'backup']);
  });
});
