import { describe, expect, it } from 'vitest';
import { candidate, context, ids } from '../../../test/support/route-candidates.js';
import { roundRobin } from './round-robin.js';

describe('roundRobin', () => {
  const candidates = [candidate('a'), candidate('b'), candidate('c')];

  it('rotates the configured order by the position, keeping every candidate', () => {
    expect([0, 1, 2, 3, 7].map((roundRobinPosition) => ids(roundRobin(candidates, context({ roundRobinPosition }))))).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
    ]);
  });

  it('handles one candidate and none, and does not touch its input', () => {
    expect(ids(roundRobin([candidate('a')], context({ roundRobinPosition: 5 })))).toEqual(['a']);
    expect(roundRobin([], context())).toEqual([]);
    roundRobin(candidates, context({ roundRobinPosition: 1 }));
    expect(ids(candidates)).toEqual(['a', 'b', 'c']);
  });
});
