// Original file: marchproxy/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A rate limit on one target (for AILB: a model, route or API key scope).
 */
export interface RateLimit {
  'limit_id'?: (string);
  'target'?: (string);
  'requests_per_second'?: (number | string | Long);
  'requests_per_minute'?: (number | string | Long);
  'requests_per_hour'?: (number | string | Long);
  'burst_size'?: (number | string | Long);
  'enabled'?: (boolean);
  'metadata'?: ({[key: string]: string});
}

/**
 * A rate limit on one target (for AILB: a model, route or API key scope).
 */
export interface RateLimit__Output {
  'limit_id': (string);
  'target': (string);
  'requests_per_second': (string);
  'requests_per_minute': (string);
  'requests_per_hour': (string);
  'burst_size': (string);
  'enabled': (boolean);
  'metadata': ({[key: string]: string});
}
