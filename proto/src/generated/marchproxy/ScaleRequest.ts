// Original file: marchproxy/module.proto

import type { ScalingConfig as _marchproxy_ScalingConfig, ScalingConfig__Output as _marchproxy_ScalingConfig__Output } from '../marchproxy/ScalingConfig.js';

export interface ScaleRequest {
  'instance_id'?: (string);
  'config'?: (_marchproxy_ScalingConfig | null);
  'immediate'?: (boolean);
}

export interface ScaleRequest__Output {
  'instance_id': (string);
  'config': (_marchproxy_ScalingConfig__Output | null);
  'immediate': (boolean);
}
