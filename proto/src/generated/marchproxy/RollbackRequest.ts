// Original file: marchproxy/module.proto


export interface RollbackRequest {
  'instance_id'?: (string);
  /**
   * Empty: the previously active version.
   */
  'target_version'?: (string);
}

export interface RollbackRequest__Output {
  'instance_id': (string);
  /**
   * Empty: the previously active version.
   */
  'target_version': (string);
}
