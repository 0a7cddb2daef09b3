import { describe, expect, it } from 'vitest';
import { candidate, context, ids, sequence } from '../../../test/support/route-candidates.js';
import { random } from './random.js';

describe('random', () => {
  it('draws each position by weight among the remaining candidates', () => {
    // Weights 1, 3 (total 4): 0.3 * 4 = 1.2 lands in b; then only a and c remain (total 2): 0.6 * 2 lands in c.
    const candidates = [candidate('a'), candidate('b', { weight: 3 }), candidate('c')];
    expect(ids(random(candidates, context({ random: sequence(0.3, 0.6) })))).toEqual(['b', 'c', 'a']);
    expect(ids(random(candidates, context({ random: sequence(0.1, 0.99) })))).toEqual(['a', 'c', 'b']);
  });

  it('is uniform with default weights', () => {
    const candidates = [candidate('a'), candidate('b'), candidate('c'), candidate('d')];
    // 0.5 * 4 = 2 is the first value of the third slot (c); then 0 picks the first remaining.
    expect(ids(random(candidates, context({ random: sequence(0.5, 0, 0) })))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('puts weight-0 candidates last in config order and survives a source returning 1', () => {
    const candidates = [candidate('off-1', { weight: 0 }), candidate('a'), candidate('off-2', { weight: 0 }), candidate('b')];
    expect(ids(random(candidates, context({ random: sequence(1) })))).toEqual(['b', 'a', 'off-1', 'off-2']);
    expect(ids(random([candidate('x', { weight: 0 }), candidate('y', { weight: 0 })], context()))).toEqual(['x', 'y']);
  });

  it('spreads first choices in proportion to weight', () => {
    const candidates = [candidate('a', { weight: 1 }), candidate('b', { weight: 3 })];
    const firsts = Array.from({ length: 400 }, (_, index) => random(candidates, context({ random: () => index / 400 }))[0]!.target.provider);
    expect(firsts.filter((id) => id === 'b')).toHaveLength(300);
  });
});
