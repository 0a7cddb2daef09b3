// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface UpdateConfigResponse {
  'success'?: (boolean);
  'message'?: (string);
  'validation_passed'?: (boolean);
  'validation_errors'?: (string)[];
  'error'?: (_marchproxy_Error | null);
}

export interface UpdateConfigResponse__Output {
  'success': (boolean);
  'message': (string);
  'validation_passed': (boolean);
  'validation_errors': (string)[];
  'error': (_marchproxy_Error__Output | null);
}
