// Original file: marchproxy/module.proto

import type { Route as _marchproxy_Route, Route__Output as _marchproxy_Route__Output } from '../marchproxy/Route.js';

export interface UpdateRoutesRequest {
  'instance_id'?: (string);
  'routes'?: (_marchproxy_Route)[];
  /**
   * Replace the whole route table instead of upserting by route_id.
   */
  'replace_all'?: (boolean);
}

export interface UpdateRoutesRequest__Output {
  'instance_id': (string);
  'routes': (_marchproxy_Route__Output)[];
  /**
   * Replace the whole route table instead of upserting by route_id.
   */
  'replace_all': (boolean);
}
