// Original file: marchproxy/module.proto


export interface RemoveRateLimitRequest {
  'instance_id'?: (string);
  'limit_id'?: (string);
}

export interface RemoveRateLimitRequest__Output {
  'instance_id': (string);
  'limit_id': (string);
}
