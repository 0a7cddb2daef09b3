// Original file: marchproxy/types.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Traffic and resource summary of one instance.
 */
export interface ModuleStats {
  'instance_id'?: (string);
  'total_requests'?: (number | string | Long);
  'successful_requests'?: (number | string | Long);
  'failed_requests'?: (number | string | Long);
  'active_connections'?: (number | string | Long);
  'total_connections'?: (number | string | Long);
  'avg_latency_ms'?: (number | string);
  'p50_latency_ms'?: (number | string);
  'p95_latency_ms'?: (number | string);
  'p99_latency_ms'?: (number | string);
  'bytes_received'?: (number | string | Long);
  'bytes_sent'?: (number | string | Long);
  'cpu_usage_percent'?: (number | string);
  'memory_usage_mb'?: (number | string);
  /**
   * Start of the window the counters cover.
   */
  'since'?: (_google_protobuf_Timestamp | null);
  'custom_stats'?: ({[key: string]: string});
}

/**
 * Traffic and resource summary of one instance.
 */
export interface ModuleStats__Output {
  'instance_id': (string);
  'total_requests': (string);
  'successful_requests': (string);
  'failed_requests': (string);
  'active_connections': (string);
  'total_connections': (string);
  'avg_latency_ms': (number);
  'p50_latency_ms': (number);
  'p95_latency_ms': (number);
  'p99_latency_ms': (number);
  'bytes_received': (string);
  'bytes_sent': (string);
  'cpu_usage_percent': (number);
  'memory_usage_mb': (number);
  /**
   * Start of the window the counters cover.
   */
  'since': (_google_protobuf_Timestamp__Output | null);
  'custom_stats': ({[key: string]: string});
}
