// Original file: marchproxy/module.proto

import type { ModuleInstance as _marchproxy_ModuleInstance, ModuleInstance__Output as _marchproxy_ModuleInstance__Output } from '../marchproxy/ModuleInstance.js';

export interface GetInstancesResponse {
  'instances'?: (_marchproxy_ModuleInstance)[];
  'total_instances'?: (number);
}

export interface GetInstancesResponse__Output {
  'instances': (_marchproxy_ModuleInstance__Output)[];
  'total_instances': (number);
}
