// Original file: marchproxy/types.proto

import type { Filter as _marchproxy_Filter, Filter__Output as _marchproxy_Filter__Output } from '../marchproxy/Filter.js';
import type { Pagination as _marchproxy_Pagination, Pagination__Output as _marchproxy_Pagination__Output } from '../marchproxy/Pagination.js';

/**
 * Filtering, sorting and paging of a list request.
 */
export interface Query {
  'filters'?: (_marchproxy_Filter)[];
  'sort_by'?: (string);
  'sort_desc'?: (boolean);
  'pagination'?: (_marchproxy_Pagination | null);
}

/**
 * Filtering, sorting and paging of a list request.
 */
export interface Query__Output {
  'filters': (_marchproxy_Filter__Output)[];
  'sort_by': (string);
  'sort_desc': (boolean);
  'pagination': (_marchproxy_Pagination__Output | null);
}
