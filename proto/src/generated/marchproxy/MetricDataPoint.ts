// Original file: marchproxy/types.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * One sample of one metric.
 */
export interface MetricDataPoint {
  'name'?: (string);
  'value'?: (number | string);
  'labels'?: ({[key: string]: string});
  'timestamp'?: (_google_protobuf_Timestamp | null);
}

/**
 * One sample of one metric.
 */
export interface MetricDataPoint__Output {
  'name': (string);
  'value': (number);
  'labels': ({[key: string]: string});
  'timestamp': (_google_protobuf_Timestamp__Output | null);
}
