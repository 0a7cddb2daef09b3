// Original file: marchproxy/types.proto


/**
 * Autoscaling bounds and targets for a module.
 */
export interface ScalingConfig {
  'min_instances'?: (number);
  'max_instances'?: (number);
  'target_cpu_percent'?: (number);
  'target_memory_percent'?: (number);
  'target_connections'?: (number);
  'scale_up_threshold'?: (number);
  'scale_down_threshold'?: (number);
  'cooldown_seconds'?: (number);
  'auto_scaling_enabled'?: (boolean);
}

/**
 * Autoscaling bounds and targets for a module.
 */
export interface ScalingConfig__Output {
  'min_instances': (number);
  'max_instances': (number);
  'target_cpu_percent': (number);
  'target_memory_percent': (number);
  'target_connections': (number);
  'scale_up_threshold': (number);
  'scale_down_threshold': (number);
  'cooldown_seconds': (number);
  'auto_scaling_enabled': (boolean);
}
