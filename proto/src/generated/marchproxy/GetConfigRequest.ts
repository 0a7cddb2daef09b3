// Original file: marchproxy/module.proto


export interface GetConfigRequest {
  'instance_id'?: (string);
  /**
   * Empty: every config type.
   */
  'config_type'?: (string);
}

export interface GetConfigRequest__Output {
  'instance_id': (string);
  /**
   * Empty: every config type.
   */
  'config_type': (string);
}
