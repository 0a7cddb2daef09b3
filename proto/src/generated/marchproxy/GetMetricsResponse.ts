// Original file: marchproxy/module.proto

import type { ModuleMetrics as _marchproxy_ModuleMetrics, ModuleMetrics__Output as _marchproxy_ModuleMetrics__Output } from '../marchproxy/ModuleMetrics.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface GetMetricsResponse {
  'metrics'?: (_marchproxy_ModuleMetrics | null);
  'collected_at'?: (_google_protobuf_Timestamp | null);
}

export interface GetMetricsResponse__Output {
  'metrics': (_marchproxy_ModuleMetrics__Output | null);
  'collected_at': (_google_protobuf_Timestamp__Output | null);
}
