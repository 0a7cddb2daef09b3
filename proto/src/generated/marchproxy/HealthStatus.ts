// Original file: marchproxy/types.proto

/**
 * Health of a module instance. Callers depend on these exact numbers.
 */
export const HealthStatus = {
  HEALTH_STATUS_UNSPECIFIED: 'HEALTH_STATUS_UNSPECIFIED',
  HEALTH_STATUS_HEALTHY: 'HEALTH_STATUS_HEALTHY',
  HEALTH_STATUS_DEGRADED: 'HEALTH_STATUS_DEGRADED',
  HEALTH_STATUS_UNHEALTHY: 'HEALTH_STATUS_UNHEALTHY',
  HEALTH_STATUS_STARTING: 'HEALTH_STATUS_STARTING',
  HEALTH_STATUS_STOPPING: 'HEALTH_STATUS_STOPPING',
  HEALTH_STATUS_STOPPED: 'HEALTH_STATUS_STOPPED',
} as const;

/**
 * Health of a module instance. Callers depend on these exact numbers.
 */
export type HealthStatus =
  | 'HEALTH_STATUS_UNSPECIFIED'
  | 0
  | 'HEALTH_STATUS_HEALTHY'
  | 1
  | 'HEALTH_STATUS_DEGRADED'
  | 2
  | 'HEALTH_STATUS_UNHEALTHY'
  | 3
  | 'HEALTH_STATUS_STARTING'
  | 4
  | 'HEALTH_STATUS_STOPPING'
  | 5
  | 'HEALTH_STATUS_STOPPED'
  | 6

/**
 * Health of a module instance. Callers depend on these exact numbers.
 */
export type HealthStatus__Output = typeof HealthStatus[keyof typeof HealthStatus]
