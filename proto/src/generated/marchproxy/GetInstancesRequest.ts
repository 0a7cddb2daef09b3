// Original file: marchproxy/module.proto

import type { ModuleType as _marchproxy_ModuleType, ModuleType__Output as _marchproxy_ModuleType__Output } from '../marchproxy/ModuleType.js';
import type { HealthStatus as _marchproxy_HealthStatus, HealthStatus__Output as _marchproxy_HealthStatus__Output } from '../marchproxy/HealthStatus.js';

export interface GetInstancesRequest {
  /**
   * Unspecified: every type.
   */
  'module_type'?: (_marchproxy_ModuleType);
  /**
   * Unspecified: every status.
   */
  'status_filter'?: (_marchproxy_HealthStatus);
}

export interface GetInstancesRequest__Output {
  /**
   * Unspecified: every type.
   */
  'module_type': (_marchproxy_ModuleType__Output);
  /**
   * Unspecified: every status.
   */
  'status_filter': (_marchproxy_HealthStatus__Output);
}
