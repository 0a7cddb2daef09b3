// Original file: marchproxy/module.proto


export interface CanHandleResponse {
  'can_handle'?: (boolean);
  'priority'?: (number);
  'reason'?: (string);
  'metadata'?: ({[key: string]: string});
}

export interface CanHandleResponse__Output {
  'can_handle': (boolean);
  'priority': (number);
  'reason': (string);
  'metadata': ({[key: string]: string});
}
