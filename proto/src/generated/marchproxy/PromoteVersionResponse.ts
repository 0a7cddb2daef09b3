// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface PromoteVersionResponse {
  'success'?: (boolean);
  'message'?: (string);
  'promoted_version'?: (string);
  'error'?: (_marchproxy_Error | null);
}

export interface PromoteVersionResponse__Output {
  'success': (boolean);
  'message': (string);
  'promoted_version': (string);
  'error': (_marchproxy_Error__Output | null);
}
