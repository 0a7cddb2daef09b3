// Original file: marchproxy/types.proto

/**
 * Outcome category carried inside Error; mirrors gRPC codes the NLB cares about.
 */
export const StatusCode = {
  STATUS_CODE_UNSPECIFIED: 'STATUS_CODE_UNSPECIFIED',
  STATUS_CODE_OK: 'STATUS_CODE_OK',
  STATUS_CODE_ERROR: 'STATUS_CODE_ERROR',
  STATUS_CODE_NOT_FOUND: 'STATUS_CODE_NOT_FOUND',
  STATUS_CODE_UNAVAILABLE: 'STATUS_CODE_UNAVAILABLE',
  STATUS_CODE_INVALID_ARGUMENT: 'STATUS_CODE_INVALID_ARGUMENT',
  STATUS_CODE_PERMISSION_DENIED: 'STATUS_CODE_PERMISSION_DENIED',
  STATUS_CODE_ALREADY_EXISTS: 'STATUS_CODE_ALREADY_EXISTS',
  STATUS_CODE_RESOURCE_EXHAUSTED: 'STATUS_CODE_RESOURCE_EXHAUSTED',
} as const;

/**
 * Outcome category carried inside Error; mirrors gRPC codes the NLB cares about.
 */
export type StatusCode =
  | 'STATUS_CODE_UNSPECIFIED'
  | 0
  | 'STATUS_CODE_OK'
  | 1
  | 'STATUS_CODE_ERROR'
  | 2
  | 'STATUS_CODE_NOT_FOUND'
  | 3
  | 'STATUS_CODE_UNAVAILABLE'
  | 4
  | 'STATUS_CODE_INVALID_ARGUMENT'
  | 5
  | 'STATUS_CODE_PERMISSION_DENIED'
  | 6
  | 'STATUS_CODE_ALREADY_EXISTS'
  | 7
  | 'STATUS_CODE_RESOURCE_EXHAUSTED'
  | 8

/**
 * Outcome category carried inside Error; mirrors gRPC codes the NLB cares about.
 */
export type StatusCode__Output = typeof StatusCode[keyof typeof StatusCode]
