// Original file: marchproxy/module.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface GetMetricsRequest {
  'instance_id'?: (string);
  /**
   * Empty: every metric.
   */
  'metric_names'?: (string)[];
  'start_time'?: (_google_protobuf_Timestamp | null);
  'end_time'?: (_google_protobuf_Timestamp | null);
}

export interface GetMetricsRequest__Output {
  'instance_id': (string);
  /**
   * Empty: every metric.
   */
  'metric_names': (string)[];
  'start_time': (_google_protobuf_Timestamp__Output | null);
  'end_time': (_google_protobuf_Timestamp__Output | null);
}
