// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface ReloadResponse {
  'success'?: (boolean);
  'message'?: (string);
  'error'?: (_marchproxy_Error | null);
}

export interface ReloadResponse__Output {
  'success': (boolean);
  'message': (string);
  'error': (_marchproxy_Error__Output | null);
}
