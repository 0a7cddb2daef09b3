import type { Page, PageRequest } from '@ailb/shared';

/**
 * One page of `items` (each with an id and a creation time), ordered by creation time (ties by id) in
 * `order`. With `after`, the `limit` items following that item; with `before` only, the `limit` items
 * just before it (the previous page). `hasMore` says whether more items lie beyond the page in the
 * direction of travel. An unknown cursor gives an empty page: it points nowhere.
 */
export function paginate<T>(items: readonly T[], page: PageRequest, idOf: (item: T) => string, createdAtOf: (item: T) => number): Page<T> {
  const sorted = [...items].sort((left, right) => createdAtOf(left) - createdAtOf(right) || idOf(left).localeCompare(idOf(right)));
  if (page.order === 'desc') sorted.reverse();
  const position = (id: string | undefined) => (id === undefined ? undefined : sorted.findIndex((item) => idOf(item) === id));
  const after = position(page.after);
  const before = position(page.before);
  if (after === -1 || before === -1) return { items: [], hasMore: false };
  const window = sorted.slice(after === undefined ? 0 : after + 1, before ?? sorted.length);
  const backwards = before !== undefined && after === undefined;
  const selected = backwards ? window.slice(Math.max(0, window.length - page.limit)) : window.slice(0, page.limit);
  return { items: selected, hasMore: window.length > page.limit };
}
