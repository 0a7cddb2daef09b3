// Original file: marchproxy/module.proto


export interface PromoteVersionRequest {
  'instance_id'?: (string);
  'version'?: (string);
  /**
   * Move all traffic at once instead of in canary steps.
   */
  'immediate'?: (boolean);
  /**
   * Percentage points per canary step.
   */
  'promotion_rate'?: (number);
}

export interface PromoteVersionRequest__Output {
  'instance_id': (string);
  'version': (string);
  /**
   * Move all traffic at once instead of in canary steps.
   */
  'immediate': (boolean);
  /**
   * Percentage points per canary step.
   */
  'promotion_rate': (number);
}
