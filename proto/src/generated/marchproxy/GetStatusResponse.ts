// Original file: marchproxy/module.proto

import type { ModuleInstance as _marchproxy_ModuleInstance, ModuleInstance__Output as _marchproxy_ModuleInstance__Output } from '../marchproxy/ModuleInstance.js';
import type { HealthStatus as _marchproxy_HealthStatus, HealthStatus__Output as _marchproxy_HealthStatus__Output } from '../marchproxy/HealthStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface GetStatusResponse {
  'instance'?: (_marchproxy_ModuleInstance | null);
  'status'?: (_marchproxy_HealthStatus);
  'message'?: (string);
  'last_updated'?: (_google_protobuf_Timestamp | null);
  'details'?: ({[key: string]: string});
}

export interface GetStatusResponse__Output {
  'instance': (_marchproxy_ModuleInstance__Output | null);
  'status': (_marchproxy_HealthStatus__Output);
  'message': (string);
  'last_updated': (_google_protobuf_Timestamp__Output | null);
  'details': ({[key: string]: string});
}
