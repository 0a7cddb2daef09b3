// Original file: marchproxy/types.proto

import type { Protocol as _marchproxy_Protocol, Protocol__Output as _marchproxy_Protocol__Output } from '../marchproxy/Protocol.js';

/**
 * A routing rule the NLB pushes to a module.
 */
export interface Route {
  'route_id'?: (string);
  'protocol'?: (_marchproxy_Protocol);
  'source_pattern'?: (string);
  'destination_pattern'?: (string);
  'source_port'?: (number);
  'destination_port'?: (number);
  'headers'?: ({[key: string]: string});
  'path_pattern'?: (string);
  /**
   * Higher priority rules are considered first.
   */
  'priority'?: (number);
  'metadata'?: ({[key: string]: string});
}

/**
 * A routing rule the NLB pushes to a module.
 */
export interface Route__Output {
  'route_id': (string);
  'protocol': (_marchproxy_Protocol__Output);
  'source_pattern': (string);
  'destination_pattern': (string);
  'source_port': (number);
  'destination_port': (number);
  'headers': ({[key: string]: string});
  'path_pattern': (string);
  /**
   * Higher priority rules are considered first.
   */
  'priority': (number);
  'metadata': ({[key: string]: string});
}
