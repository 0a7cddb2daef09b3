// Original file: marchproxy/module.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface ScaleResponse {
  'success'?: (boolean);
  'message'?: (string);
  'current_instances'?: (number);
  'desired_instances'?: (number);
  'error'?: (_marchproxy_Error | null);
}

export interface ScaleResponse__Output {
  'success': (boolean);
  'message': (string);
  'current_instances': (number);
  'desired_instances': (number);
  'error': (_marchproxy_Error__Output | null);
}
