// Original file: marchproxy/module.proto

import type { BlueGreenConfig as _marchproxy_BlueGreenConfig, BlueGreenConfig__Output as _marchproxy_BlueGreenConfig__Output } from '../marchproxy/BlueGreenConfig.js';

export interface GetActiveVersionResponse {
  'active_version'?: (string);
  'config'?: (_marchproxy_BlueGreenConfig | null);
  'version_weights'?: ({[key: string]: number});
}

export interface GetActiveVersionResponse__Output {
  'active_version': (string);
  'config': (_marchproxy_BlueGreenConfig__Output | null);
  'version_weights': ({[key: string]: number});
}
