import type { Pagination, Query__Output, Route as ProtoRoute } from '@ailb/proto';
import { invalidArgument } from './rpc.js';

/*
 * GetRoutes' `Query`: filters (all must hold), sort and pages over the Route messages.
 *
 * Fields: `route_id`, `model` (metadata.model), `source` (`config`, `grpc`, `default`), `strategy`,
 * `provider` and `target_model` (any target's), `protocol`, `path_pattern`, `priority`.
 * Operators: `eq` (also `=`, `==`, or empty), `ne` (`!=`), `contains`, `prefix`, `in` (comma-separated
 * values), and for `priority` `gt`, `gte`, `lt`, `lte` (`>`, `>=`, `<`, `<=`). Sort by `route_id`
 * (default), `model`, `source`, `strategy` or `priority`, ascending unless `sort_desc`. Pages start at
 * 1; `page_size` 0 (or no pagination) returns every route, at most 1000 per page.
 */

const MAX_PAGE_SIZE = 1000;

type Values = (route: ProtoRoute) => string[];
const targetsOf = (route: ProtoRoute): Array<{ provider?: unknown; model?: unknown }> => {
  try {
    const targets = JSON.parse(route.metadata?.targets ?? '[]') as unknown;
    return Array.isArray(targets) ? (targets as Array<{ provider?: unknown; model?: unknown }>) : [];
  } catch {
    return [];
  }
};
const FIELDS: Record<string, Values> = {
  route_id: (route) => [route.route_id ?? ''],
  model: (route) => [route.metadata?.model ?? ''],
  source: (route) => [route.metadata?.source ?? ''],
  strategy: (route) => [route.metadata?.strategy ?? ''],
  provider: (route) => targetsOf(route).map((target) => String(target.provider)),
  target_model: (route) => targetsOf(route).map((target) => String(target.model)),
  protocol: (route) => [String(route.protocol ?? '')],
  path_pattern: (route) => [route.path_pattern ?? ''],
  priority: (route) => [String(route.priority ?? 0)],
};
const OPERATORS: Record<string, (value: string, wanted: string) => boolean> = {
  eq: (value, wanted) => value === wanted,
  ne: (value, wanted) => value !== wanted,
  contains: (value, wanted) => value.includes(wanted),
  prefix: (value, wanted) => value.startsWith(wanted),
  in: (value, wanted) => wanted.split(',').map((item) => item.trim()).includes(value),
  gt: (value, wanted) => Number(value) > Number(wanted),
  gte: (value, wanted) => Number(value) >= Number(wanted),
  lt: (value, wanted) => Number(value) < Number(wanted),
  lte: (value, wanted) => Number(value) <= Number(wanted),
};
const ALIASES: Record<string, string> = { '': 'eq', '=': 'eq', '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', starts_with: 'prefix' };
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);
const SORTS = new Set(['route_id', 'model', 'source', 'strategy', 'priority']);

/** The routes a query selects (one page of them) and how many it selects in all. */
export function queryRoutes(routes: readonly ProtoRoute[], query: Query__Output | null): { routes: ProtoRoute[]; total: number; pagination: Pagination } {
  let selected = [...routes];
  for (const [index, filter] of (query?.filters ?? []).entries()) {
    const values = FIELDS[filter.field];
    if (!values) throw invalidArgument(`query.filters[${index}].field`, `unknown field "${filter.field}"; use one of ${Object.keys(FIELDS).join(', ')}`);
    const name = ALIASES[filter.operator] ?? filter.operator;
    const operator = OPERATORS[name];
    if (!operator) throw invalidArgument(`query.filters[${index}].operator`, `unknown operator "${filter.operator}"; use eq, ne, contains, prefix, in, gt, gte, lt or lte`);
    if (NUMERIC.has(name) && (filter.field !== 'priority' || !Number.isFinite(Number(filter.value)) || filter.value.trim() === '')) {
      throw invalidArgument(`query.filters[${index}].operator`, `${name} compares numbers: only the priority field, with a numeric value`);
    }
    // `ne` holds when no value matches; the others when any does (a route has several targets).
    selected = selected.filter((route) => (name === 'ne' ? values(route).every((value) => operator(value, filter.value)) : values(route).some((value) => operator(value, filter.value))));
  }
  const sortBy = query?.sort_by || 'route_id';
  if (!SORTS.has(sortBy)) throw invalidArgument('query.sort_by', `unknown field "${sortBy}"; use one of ${[...SORTS].join(', ')}`);
  const direction = query?.sort_desc ? -1 : 1;
  const key = FIELDS[sortBy]!;
  selected.sort((left, right) => {
    const [a, b] = [key(left)[0]!, key(right)[0]!];
    const order = sortBy === 'priority' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
    return (order || ((left.route_id ?? '') < (right.route_id ?? '') ? -1 : 1)) * direction;
  });
  const total = selected.length;
  const requested = query?.pagination;
  const pageSize = requested?.page_size ?? 0;
  if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) throw invalidArgument('query.pagination.page_size', `must be 0 (every route) to ${MAX_PAGE_SIZE}`);
  const page = requested?.page || 1;
  if (page < 1) throw invalidArgument('query.pagination.page', 'pages start at 1');
  if (pageSize === 0) return { routes: selected, total, pagination: { page: 1, page_size: total, total_items: total, total_pages: 1 } };
  return {
    routes: selected.slice((page - 1) * pageSize, page * pageSize),
    total,
    pagination: { page, page_size: pageSize, total_items: total, total_pages: Math.max(1, Math.ceil(total / pageSize)) },
  };
}
