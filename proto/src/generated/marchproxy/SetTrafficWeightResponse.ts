// Original file: marchproxy/module.proto

import type { BlueGreenConfig as _marchproxy_BlueGreenConfig, BlueGreenConfig__Output as _marchproxy_BlueGreenConfig__Output } from '../marchproxy/BlueGreenConfig.js';
import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from '../marchproxy/Error.js';

export interface SetTrafficWeightResponse {
  'success'?: (boolean);
  'message'?: (string);
  'current_config'?: (_marchproxy_BlueGreenConfig | null);
  'error'?: (_marchproxy_Error | null);
}

export interface SetTrafficWeightResponse__Output {
  'success': (boolean);
  'message': (string);
  'current_config': (_marchproxy_BlueGreenConfig__Output | null);
  'error': (_marchproxy_Error__Output | null);
}
