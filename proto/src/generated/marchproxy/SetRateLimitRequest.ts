// Original file: marchproxy/module.proto

import type { RateLimit as _marchproxy_RateLimit, RateLimit__Output as _marchproxy_RateLimit__Output } from '../marchproxy/RateLimit.js';

export interface SetRateLimitRequest {
  'instance_id'?: (string);
  'limit'?: (_marchproxy_RateLimit | null);
}

export interface SetRateLimitRequest__Output {
  'instance_id': (string);
  'limit': (_marchproxy_RateLimit__Output | null);
}
