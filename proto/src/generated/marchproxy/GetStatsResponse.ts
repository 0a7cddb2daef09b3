// Original file: marchproxy/module.proto

import type { ModuleStats as _marchproxy_ModuleStats, ModuleStats__Output as _marchproxy_ModuleStats__Output } from '../marchproxy/ModuleStats.js';

export interface GetStatsResponse {
  'stats'?: (_marchproxy_ModuleStats | null);
}

export interface GetStatsResponse__Output {
  'stats': (_marchproxy_ModuleStats__Output | null);
}
