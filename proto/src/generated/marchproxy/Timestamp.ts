// Original file: marchproxy/types.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * A point in time (wrapper kept for wire compatibility; RPCs use google.protobuf.Timestamp directly).
 */
export interface Timestamp {
  'time'?: (_google_protobuf_Timestamp | null);
}

/**
 * A point in time (wrapper kept for wire compatibility; RPCs use google.protobuf.Timestamp directly).
 */
export interface Timestamp__Output {
  'time': (_google_protobuf_Timestamp__Output | null);
}
