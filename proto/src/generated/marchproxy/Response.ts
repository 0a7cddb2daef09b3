// Original file: marchproxy/types.proto

import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

/**
 * Generic outcome of an operation.
 */
export interface Response {
  'success'?: (boolean);
  'message'?: (string);
  'error'?: (_marchproxy_Error | null);
  'metadata'?: ({[key: string]: string});
}

/**
 * Generic outcome of an operation.
 */
export interface Response__Output {
  'success': (boolean);
  'message': (string);
  'error': (_marchproxy_Error__Output | null);
  'metadata': ({[key: string]: string});
}
