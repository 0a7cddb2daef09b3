// Original file: marchproxy/types.proto

/**
 * Protocol a route or health check speaks.
 */
export const Protocol = {
  PROTOCOL_UNSPECIFIED: 'PROTOCOL_UNSPECIFIED',
  PROTOCOL_TCP: 'PROTOCOL_TCP',
  PROTOCOL_UDP: 'PROTOCOL_UDP',
  PROTOCOL_HTTP: 'PROTOCOL_HTTP',
  PROTOCOL_HTTPS: 'PROTOCOL_HTTPS',
  PROTOCOL_HTTP2: 'PROTOCOL_HTTP2',
  PROTOCOL_HTTP3: 'PROTOCOL_HTTP3',
  PROTOCOL_GRPC: 'PROTOCOL_GRPC',
  PROTOCOL_WEBSOCKET: 'PROTOCOL_WEBSOCKET',
  PROTOCOL_MYSQL: 'PROTOCOL_MYSQL',
  PROTOCOL_POSTGRES: 'PROTOCOL_POSTGRES',
  PROTOCOL_MONGODB: 'PROTOCOL_MONGODB',
  PROTOCOL_REDIS: 'PROTOCOL_REDIS',
  PROTOCOL_RTMP: 'PROTOCOL_RTMP',
  PROTOCOL_RTMPS: 'PROTOCOL_RTMPS',
  PROTOCOL_HLS: 'PROTOCOL_HLS',
  PROTOCOL_DASH: 'PROTOCOL_DASH',
} as const;

/**
 * Protocol a route or health check speaks.
 */
export type Protocol =
  | 'PROTOCOL_UNSPECIFIED'
  | 0
  | 'PROTOCOL_TCP'
  | 1
  | 'PROTOCOL_UDP'
  | 2
  | 'PROTOCOL_HTTP'
  | 3
  | 'PROTOCOL_HTTPS'
  | 4
  | 'PROTOCOL_HTTP2'
  | 5
  | 'PROTOCOL_HTTP3'
  | 6
  | 'PROTOCOL_GRPC'
  | 7
  | 'PROTOCOL_WEBSOCKET'
  | 8
  | 'PROTOCOL_MYSQL'
  | 9
  | 'PROTOCOL_POSTGRES'
  | 10
  | 'PROTOCOL_MONGODB'
  | 11
  | 'PROTOCOL_REDIS'
  | 12
  | 'PROTOCOL_RTMP'
  | 13
  | 'PROTOCOL_RTMPS'
  | 14
  | 'PROTOCOL_HLS'
  | 15
  | 'PROTOCOL_DASH'
  | 16

/**
 * Protocol a route or health check speaks.
 */
export type Protocol__Output = typeof Protocol[keyof typeof Protocol]
