// Original file: marchproxy/module.proto


export interface ShutdownRequest {
  'instance_id'?: (string);
  /**
   * Drain in-flight work before stopping.
   */
  'graceful'?: (boolean);
  /**
   * Upper bound on the drain.
   */
  'timeout_seconds'?: (number);
}

export interface ShutdownRequest__Output {
  'instance_id': (string);
  /**
   * Drain in-flight work before stopping.
   */
  'graceful': (boolean);
  /**
   * Upper bound on the drain.
   */
  'timeout_seconds': (number);
}
