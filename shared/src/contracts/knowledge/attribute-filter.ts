import { z } from 'zod';
import type { Attributes } from './knowledge-records.js';

/** A comparison of one attribute with a value. */
export type ComparisonFilter = {
  type: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin';
  key: string;
  value: string | number | boolean | Array<string | number>;
};
/** Filters joined with `and` or `or`. */
export type CompoundFilter = { type: 'and' | 'or'; filters: AttributeFilter[] };
/** A condition on a file's attributes, for searches. */
export type AttributeFilter = ComparisonFilter | CompoundFilter;

const comparisonFilterSchema = z.object({
  type: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']),
  key: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
});

export const attributeFilterSchema: z.ZodType<AttributeFilter> = z.lazy(() =>
  z.union([comparisonFilterSchema, z.object({ type: z.enum(['and', 'or']), filters: z.array(attributeFilterSchema).min(1) })]),
);

export function isCompound(filter: AttributeFilter): filter is CompoundFilter {
  return filter.type === 'and' || filter.type === 'or';
}

/**
 * Whether attributes satisfy a filter. A missing attribute satisfies only `ne` and `nin`; ordering
 * comparisons hold between numbers or between strings, never across types.
 */
export function matchesFilter(filter: AttributeFilter, attributes: Attributes | null): boolean {
  if (isCompound(filter)) {
    return filter.type === 'and' ? filter.filters.every((inner) => matchesFilter(inner, attributes)) : filter.filters.some((inner) => matchesFilter(inner, attributes));
  }
  const actual = attributes?.[filter.key];
  const expected = filter.value;
  switch (filter.type) {
    case 'eq':
      return actual !== undefined && actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return actual !== undefined && Array.isArray(expected) && expected.some((value) => value === actual);
    case 'nin':
      return !Array.isArray(expected) || !expected.some((value) => value === actual);
    default: {
      if (actual === undefined || typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
      const left = actual as number | string;
      const right = expected as number | string;
      if (filter.type === 'gt') return left > right;
      if (filter.type === 'gte') return left >= right;
      if (filter.type === 'lt') return left < right;
      return left <= right;
    }
  }
}
