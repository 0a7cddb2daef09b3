// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface UpdateRoutesResponse {
  'success'?: (boolean);
  'message'?: (string);
  'routes_updated'?: (number);
  'error'?: (_marchproxy_Error | null);
}

export interface UpdateRoutesResponse__Output {
  'success': (boolean);
  'message': (string);
  'routes_updated': (number);
  'error': (_marchproxy_Error__Output | null);
}
