// Original file: marchproxy/types.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * One configuration document of some type.
 */
export interface ConfigUpdate {
  'config_id'?: (string);
  'config_type'?: (string);
  'config_data'?: (Buffer | Uint8Array | string);
  /**
   * Checksum of config_data, so a writer can tell whether a document changed.
   */
  'checksum'?: (string);
  'updated_at'?: (_google_protobuf_Timestamp | null);
  'metadata'?: ({[key: string]: string});
}

/**
 * One configuration document of some type.
 */
export interface ConfigUpdate__Output {
  'config_id': (string);
  'config_type': (string);
  'config_data': (Buffer);
  /**
   * Checksum of config_data, so a writer can tell whether a document changed.
   */
  'checksum': (string);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
  'metadata': ({[key: string]: string});
}
