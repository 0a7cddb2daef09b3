// Original file: marchproxy/module.proto


export interface GetActiveVersionRequest {
  'instance_id'?: (string);
}

export interface GetActiveVersionRequest__Output {
  'instance_id': (string);
}
