// Original file: marchproxy/module.proto


export interface HealthCheckRequest {
  'instance_id'?: (string);
  /**
   * Also probe dependencies, not only this process.
   */
  'deep_check'?: (boolean);
}

export interface HealthCheckRequest__Output {
  'instance_id': (string);
  /**
   * Also probe dependencies, not only this process.
   */
  'deep_check': (boolean);
}
