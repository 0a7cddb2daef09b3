// Original file: marchproxy/module.proto

import type { HealthStatus as _marchproxy_HealthStatus, HealthStatus__Output as _marchproxy_HealthStatus__Output } from '../marchproxy/HealthStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface HealthCheckResponse {
  'status'?: (_marchproxy_HealthStatus);
  'message'?: (string);
  'checks'?: ({[key: string]: string});
  'checked_at'?: (_google_protobuf_Timestamp | null);
}

export interface HealthCheckResponse__Output {
  'status': (_marchproxy_HealthStatus__Output);
  'message': (string);
  'checks': ({[key: string]: string});
  'checked_at': (_google_protobuf_Timestamp__Output | null);
}
