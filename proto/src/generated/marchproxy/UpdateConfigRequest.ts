// Original file: marchproxy/module.proto

import type { ConfigUpdate as _marchproxy_ConfigUpdate, ConfigUpdate__Output as _marchproxy_ConfigUpdate__Output } from '../marchproxy/ConfigUpdate.js';

export interface UpdateConfigRequest {
  'instance_id'?: (string);
  'config'?: (_marchproxy_ConfigUpdate | null);
  /**
   * Validate and report without applying.
   */
  'validate_only'?: (boolean);
}

export interface UpdateConfigRequest__Output {
  'instance_id': (string);
  'config': (_marchproxy_ConfigUpdate__Output | null);
  /**
   * Validate and report without applying.
   */
  'validate_only': (boolean);
}
