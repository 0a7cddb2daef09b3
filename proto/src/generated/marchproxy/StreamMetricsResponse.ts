// Original file: marchproxy/module.proto

import type { ModuleMetrics as _marchproxy_ModuleMetrics, ModuleMetrics__Output as _marchproxy_ModuleMetrics__Output } from '../marchproxy/ModuleMetrics.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface StreamMetricsResponse {
  'metrics'?: (_marchproxy_ModuleMetrics | null);
  'timestamp'?: (_google_protobuf_Timestamp | null);
}

export interface StreamMetricsResponse__Output {
  'metrics': (_marchproxy_ModuleMetrics__Output | null);
  'timestamp': (_google_protobuf_Timestamp__Output | null);
}
