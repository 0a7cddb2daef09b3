// Original file: marchproxy/types.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.js';

/**
 * Blue/green deployment state: weights are percentages 0-100 per version.
 */
export interface BlueGreenConfig {
  'blue_version'?: (string);
  'green_version'?: (string);
  'blue_weight'?: (number);
  'green_weight'?: (number);
  'active_version'?: (string);
  'canary_enabled'?: (boolean);
  'canary_percent'?: (number);
  'deployment_started'?: (_google_protobuf_Timestamp | null);
}

/**
 * Blue/green deployment state: weights are percentages 0-100 per version.
 */
export interface BlueGreenConfig__Output {
  'blue_version': (string);
  'green_version': (string);
  'blue_weight': (number);
  'green_weight': (number);
  'active_version': (string);
  'canary_enabled': (boolean);
  'canary_percent': (number);
  'deployment_started': (_google_protobuf_Timestamp__Output | null);
}
