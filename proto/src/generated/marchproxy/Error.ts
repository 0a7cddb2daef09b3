// Original file: marchproxy/types.proto

import type { StatusCode as _marchproxy_StatusCode, StatusCode__Output as _marchproxy_StatusCode__Output } from '../marchproxy/StatusCode.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * A failure described in a response body.
 */
export interface Error {
  'code'?: (_marchproxy_StatusCode);
  'message'?: (string);
  /**
   * Extra facts, e.g. "field" naming the bad request field.
   */
  'details'?: ({[key: string]: string});
  'occurred_at'?: (_google_protobuf_Timestamp | null);
}

/**
 * A failure described in a response body.
 */
export interface Error__Output {
  'code': (_marchproxy_StatusCode__Output);
  'message': (string);
  /**
   * Extra facts, e.g. "field" naming the bad request field.
   */
  'details': ({[key: string]: string});
  'occurred_at': (_google_protobuf_Timestamp__Output | null);
}
