import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.js';

const items = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({ id, createdAt: 100 + index }));
const page = (options: { limit: number; order: 'asc' | 'desc'; after?: string; before?: string }) =>
  paginate(items, options, (item) => item.id, (item) => item.createdAt);
const ids = (result: { items: Array<{ id: string }> }) => result.items.map((item) => item.id).join('');

describe('paginate', () => {
  it('orders by creation, newest first for desc, and says when more follow', () => {
    expect(ids(page({ limit: 2, order: 'desc' }))).toBe('ed');
    expect(page({ limit: 2, order: 'desc' }).hasMore).toBe(true);
    expect(ids(page({ limit: 10, order: 'asc' }))).toBe('abcde');
    expect(page({ limit: 10, order: 'asc' }).hasMore).toBe(false);
  });

  it('continues after a cursor and goes back before one', () => {
    expect(ids(page({ limit: 2, order: 'asc', after: 'b' }))).toBe('cd');
    expect(page({ limit: 2, order: 'asc', after: 'c' })).toEqual({ items: [items[3], items[4]], hasMore: false });
    expect(ids(page({ limit: 2, order: 'asc', before: 'e' }))).toBe('cd');
    expect(page({ limit: 2, order: 'asc', before: 'e' }).hasMore).toBe(true);
    expect(ids(page({ limit: 5, order: 'asc', after: 'a', before: 'e' }))).toBe('bcd');
  });

  it('gives an empty page for a cursor that does not exist', () => {
    expect(page({ limit: 2, order: 'asc', after: 'zz' })).toEqual({ items: [], hasMore: false });
  });
});
