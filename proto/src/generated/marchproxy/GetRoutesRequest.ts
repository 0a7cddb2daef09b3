// Original file: marchproxy/module.proto

import type { Query as _marchproxy_Query, Query__Output as _marchproxy_Query__Output } from '../marchproxy/Query.js';

export interface GetRoutesRequest {
  'instance_id'?: (string);
  'query'?: (_marchproxy_Query | null);
}

export interface GetRoutesRequest__Output {
  'instance_id': (string);
  'query': (_marchproxy_Query__Output | null);
}
