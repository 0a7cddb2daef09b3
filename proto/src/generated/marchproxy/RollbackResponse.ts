// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface RollbackResponse {
  'success'?: (boolean);
  'message'?: (string);
  'previous_version'?: (string);
  'current_version'?: (string);
  'error'?: (_marchproxy_Error | null);
}

export interface RollbackResponse__Output {
  'success': (boolean);
  'message': (string);
  'previous_version': (string);
  'current_version': (string);
  'error': (_marchproxy_Error__Output | null);
}
