// Original file: marchproxy/module.proto


export interface StreamMetricsRequest {
  'instance_id'?: (string);
  'interval_seconds'?: (number);
  'metric_names'?: (string)[];
}

export interface StreamMetricsRequest__Output {
  'instance_id': (string);
  'interval_seconds': (number);
  'metric_names': (string)[];
}
