// Original file: marchproxy/module.proto


export interface GetStatsRequest {
  'instance_id'?: (string);
  /**
   * Start a new window: later calls report counts since this call.
   */
  'reset_counters'?: (boolean);
}

export interface GetStatsRequest__Output {
  'instance_id': (string);
  /**
   * Start a new window: later calls report counts since this call.
   */
  'reset_counters': (boolean);
}
