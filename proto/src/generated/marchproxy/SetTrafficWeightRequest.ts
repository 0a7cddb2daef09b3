// Original file: marchproxy/module.proto


export interface SetTrafficWeightRequest {
  'instance_id'?: (string);
  'version'?: (string);
  /**
   * Percentage 0-100.
   */
  'weight'?: (number);
}

export interface SetTrafficWeightRequest__Output {
  'instance_id': (string);
  'version': (string);
  /**
   * Percentage 0-100.
   */
  'weight': (number);
}
