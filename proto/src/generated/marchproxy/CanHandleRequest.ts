// Original file: marchproxy/module.proto

import type { Route as _marchproxy_Route, Route__Output as _marchproxy_Route__Output } from '../marchproxy/Route.js';

export interface CanHandleRequest {
  'route'?: (_marchproxy_Route | null);
  'context'?: ({[key: string]: string});
}

export interface CanHandleRequest__Output {
  'route': (_marchproxy_Route__Output | null);
  'context': ({[key: string]: string});
}
