// Original file: marchproxy/module.proto

import type { RateLimit as _marchproxy_RateLimit, RateLimit__Output as _marchproxy_RateLimit__Output } from '../marchproxy/RateLimit.js';

export interface GetRateLimitsResponse {
  'limits'?: (_marchproxy_RateLimit)[];
  'total_limits'?: (number);
}

export interface GetRateLimitsResponse__Output {
  'limits': (_marchproxy_RateLimit__Output)[];
  'total_limits': (number);
}
