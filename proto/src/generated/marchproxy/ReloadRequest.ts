// Original file: marchproxy/module.proto


export interface ReloadRequest {
  'instance_id'?: (string);
  'graceful'?: (boolean);
  'timeout_seconds'?: (number);
}

export interface ReloadRequest__Output {
  'instance_id': (string);
  'graceful': (boolean);
  'timeout_seconds': (number);
}
