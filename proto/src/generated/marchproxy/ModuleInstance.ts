// Original file: marchproxy/types.proto

import type { ModuleType as _marchproxy_ModuleType, ModuleType__Output as _marchproxy_ModuleType__Output } from '../marchproxy/ModuleType.js';
import type { HealthStatus as _marchproxy_HealthStatus, HealthStatus__Output as _marchproxy_HealthStatus__Output } from '../marchproxy/HealthStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * One running module process as the control plane sees it.
 */
export interface ModuleInstance {
  'instance_id'?: (string);
  'module_type'?: (_marchproxy_ModuleType);
  /**
   * Address the instance serves traffic on (host:port).
   */
  'address'?: (string);
  'health_status'?: (_marchproxy_HealthStatus);
  'metadata'?: ({[key: string]: string});
  'started_at'?: (_google_protobuf_Timestamp | null);
  'current_connections'?: (number);
  'max_connections'?: (number);
  /**
   * Deployed version, used by blue/green traffic splitting.
   */
  'version'?: (string);
  /**
   * Share of traffic (0-100) this instance's version receives.
   */
  'traffic_weight'?: (number);
}

/**
 * One running module process as the control plane sees it.
 */
export interface ModuleInstance__Output {
  'instance_id': (string);
  'module_type': (_marchproxy_ModuleType__Output);
  /**
   * Address the instance serves traffic on (host:port).
   */
  'address': (string);
  'health_status': (_marchproxy_HealthStatus__Output);
  'metadata': ({[key: string]: string});
  'started_at': (_google_protobuf_Timestamp__Output | null);
  'current_connections': (number);
  'max_connections': (number);
  /**
   * Deployed version, used by blue/green traffic splitting.
   */
  'version': (string);
  /**
   * Share of traffic (0-100) this instance's version receives.
   */
  'traffic_weight': (number);
}
