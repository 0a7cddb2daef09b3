// Original file: marchproxy/types.proto

/**
 * Kind of MarchProxy module. AILB reports MODULE_TYPE_AILB.
 */
export const ModuleType = {
  MODULE_TYPE_UNSPECIFIED: 'MODULE_TYPE_UNSPECIFIED',
  MODULE_TYPE_ALB: 'MODULE_TYPE_ALB',
  MODULE_TYPE_DBLB: 'MODULE_TYPE_DBLB',
  MODULE_TYPE_AILB: 'MODULE_TYPE_AILB',
  MODULE_TYPE_RTMP: 'MODULE_TYPE_RTMP',
  MODULE_TYPE_NLB: 'MODULE_TYPE_NLB',
} as const;

/**
 * Kind of MarchProxy module. AILB reports MODULE_TYPE_AILB.
 */
export type ModuleType =
  | 'MODULE_TYPE_UNSPECIFIED'
  | 0
  | 'MODULE_TYPE_ALB'
  | 1
  | 'MODULE_TYPE_DBLB'
  | 2
  | 'MODULE_TYPE_AILB'
  | 3
  | 'MODULE_TYPE_RTMP'
  | 4
  | 'MODULE_TYPE_NLB'
  | 5

/**
 * Kind of MarchProxy module. AILB reports MODULE_TYPE_AILB.
 */
export type ModuleType__Output = typeof ModuleType[keyof typeof ModuleType]
