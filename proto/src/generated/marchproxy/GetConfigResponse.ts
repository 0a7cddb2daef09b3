// Original file: marchproxy/module.proto

import type { ConfigUpdate as _marchproxy_ConfigUpdate, ConfigUpdate__Output as _marchproxy_ConfigUpdate__Output } from '../marchproxy/ConfigUpdate.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

export interface GetConfigResponse {
  'configs'?: (_marchproxy_ConfigUpdate)[];
  'last_updated'?: (_google_protobuf_Timestamp | null);
}

export interface GetConfigResponse__Output {
  'configs': (_marchproxy_ConfigUpdate__Output)[];
  'last_updated': (_google_protobuf_Timestamp__Output | null);
}
