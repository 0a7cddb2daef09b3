import { describe, expect, it } from 'vitest';
import { candidate, context, ids } from '../../../test/support/route-candidates.js';
import { costOptimized } from './cost-optimized.js';

describe('costOptimized', () => {
  it('puts the cheapest input + output price first, unknown prices last, ties in config order', () => {
    const ordered = costOptimized(
      [
        candidate('unknown-1'),
        candidate('gpt-4o', { price: { input: 2.5, output: 10 } }),
        candidate('ollama', { price: { input: 0, output: 0 } }),
        candidate('unknown-2'),
        // Cheaper input but dearer in total than gpt-4o.
        candidate('skewed', { price: { input: 0.1, output: 20 } }),
        candidate('mini', { price: { input: 0.15, output: 0.6 } }),
        candidate('also-free', { price: { input: 0, output: 0 } }),
      ],
      context(),
    );
    expect(ids(ordered)).toEqual(['ollama', 'also-free', 'mini', 'gpt-4o', 'skewed', 'unknown-1', 'unknown-2']);
  });
});
