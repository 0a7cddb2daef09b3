// Original file: marchproxy/module.proto


export interface GetRateLimitsRequest {
  'instance_id'?: (string);
  /**
   * Empty: every limit.
   */
  'target'?: (string);
}

export interface GetRateLimitsRequest__Output {
  'instance_id': (string);
  /**
   * Empty: every limit.
   */
  'target': (string);
}
