// Original file: marchproxy/types.proto

import type { Protocol as _marchproxy_Protocol, Protocol__Output as _marchproxy_Protocol__Output } from '../marchproxy/Protocol.js';

/**
 * How the NLB probes a module.
 */
export interface HealthCheckConfig {
  'interval_seconds'?: (number);
  'timeout_seconds'?: (number);
  'unhealthy_threshold'?: (number);
  'healthy_threshold'?: (number);
  'health_check_path'?: (string);
  'health_check_port'?: (number);
  'health_check_protocol'?: (_marchproxy_Protocol);
  'metadata'?: ({[key: string]: string});
}

/**
 * How the NLB probes a module.
 */
export interface HealthCheckConfig__Output {
  'interval_seconds': (number);
  'timeout_seconds': (number);
  'unhealthy_threshold': (number);
  'healthy_threshold': (number);
  'health_check_path': (string);
  'health_check_port': (number);
  'health_check_protocol': (_marchproxy_Protocol__Output);
  'metadata': ({[key: string]: string});
}
