// Original file: marchproxy/module.proto


export interface DeleteRouteRequest {
  'instance_id'?: (string);
  'route_id'?: (string);
}

export interface DeleteRouteRequest__Output {
  'instance_id': (string);
  'route_id': (string);
}
