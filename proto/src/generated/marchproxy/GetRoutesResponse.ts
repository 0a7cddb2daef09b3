// Original file: marchproxy/module.proto

import type { Route as _marchproxy_Route, Route__Output as _marchproxy_Route__Output } from '../marchproxy/Route.js';
import type { Pagination as _marchproxy_Pagination, Pagination__Output as _marchproxy_Pagination__Output } from '../marchproxy/Pagination.js';

export interface GetRoutesResponse {
  'routes'?: (_marchproxy_Route)[];
  'total_routes'?: (number);
  'pagination'?: (_marchproxy_Pagination | null);
}

export interface GetRoutesResponse__Output {
  'routes': (_marchproxy_Route__Output)[];
  'total_routes': (number);
  'pagination': (_marchproxy_Pagination__Output | null);
}
