// Original file: marchproxy/module.proto


export interface GetStatusRequest {
  'instance_id'?: (string);
}

export interface GetStatusRequest__Output {
  'instance_id': (string);
}
