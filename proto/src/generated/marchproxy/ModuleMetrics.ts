// Original file: marchproxy/types.proto

import type { ModuleType as _marchproxy_ModuleType, ModuleType__Output as _marchproxy_ModuleType__Output } from '../marchproxy/ModuleType.js';
import type { MetricDataPoint as _marchproxy_MetricDataPoint, MetricDataPoint__Output as _marchproxy_MetricDataPoint__Output } from '../marchproxy/MetricDataPoint.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * A batch of samples collected from one instance at one time.
 */
export interface ModuleMetrics {
  'instance_id'?: (string);
  'module_type'?: (_marchproxy_ModuleType);
  'metrics'?: (_marchproxy_MetricDataPoint)[];
  'collected_at'?: (_google_protobuf_Timestamp | null);
}

/**
 * A batch of samples collected from one instance at one time.
 */
export interface ModuleMetrics__Output {
  'instance_id': (string);
  'module_type': (_marchproxy_ModuleType__Output);
  'metrics': (_marchproxy_MetricDataPoint__Output)[];
  'collected_at': (_google_protobuf_Timestamp__Output | null);
}
