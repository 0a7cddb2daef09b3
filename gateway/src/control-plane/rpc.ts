import { status, type Metadata } from '@grpc/grpc-js';
import type {
  CanHandleRequest__Output,
  CanHandleResponse,
  DeleteRouteRequest__Output,
  DeleteRouteResponse,
  GetActiveVersionRequest__Output,
  GetActiveVersionResponse,
  GetConfigRequest__Output,
  GetConfigResponse,
  GetInstancesRequest__Output,
  GetInstancesResponse,
  GetMetricsRequest__Output,
  GetMetricsResponse,
  GetRateLimitsRequest__Output,
  GetRateLimitsResponse,
  GetRoutesRequest__Output,
  GetRoutesResponse,
  GetStatsRequest__Output,
  GetStatsResponse,
  GetStatusRequest__Output,
  GetStatusResponse,
  HealthCheckRequest__Output,
  HealthCheckResponse,
  PromoteVersionRequest__Output,
  PromoteVersionResponse,
  ReloadRequest__Output,
  ReloadResponse,
  RemoveRateLimitRequest__Output,
  RemoveRateLimitResponse,
  RollbackRequest__Output,
  RollbackResponse,
  ScaleRequest__Output,
  ScaleResponse,
  SetRateLimitRequest__Output,
  SetRateLimitResponse,
  SetTrafficWeightRequest__Output,
  SetTrafficWeightResponse,
  ShutdownRequest__Output,
  ShutdownResponse,
  StreamMetricsRequest__Output,
  StreamMetricsResponse,
  UpdateConfigRequest__Output,
  UpdateConfigResponse,
  UpdateRoutesRequest__Output,
  UpdateRoutesResponse,
} from '@ailb/proto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** What a handler may know about the call besides its request message. */
export interface RpcCall {
  /** The caller's request metadata (headers). */
  metadata: Metadata;
  /**
   * Aborted when the caller cancels (or its deadline passes) and, for streams, when the server
   * closes: a handler stops its work and, for a stream, returns.
   */
  signal: AbortSignal;
}

/**
 * A failure with a gRPC status. Handlers throw it for every expected failure; anything else thrown
 * becomes INTERNAL with a generic message (and is logged). `field` names the bad request field
 * (INVALID_ARGUMENT) and is reported in the response's Error details when the message has an Error.
 */
export class RpcFailure extends Error {
  override readonly name = 'RpcFailure';

  constructor(
    readonly code: status,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** INVALID_ARGUMENT for `field`; the message reads "field: message". */
export function invalidArgument(field: string, message: string): RpcFailure {
  return new RpcFailure(status.INVALID_ARGUMENT, `${field}: ${message}`, field);
}

/** NOT_FOUND with the given message (say what was not found and its id). */
export function notFound(message: string): RpcFailure {
  return new RpcFailure(status.NOT_FOUND, message);
}

/** A unary method: the decoded request (every field defaulted) in, the response message out. */
export type UnaryRpc<Req, Res> = (request: Req, call: RpcCall) => Promise<Res>;

/**
 * A server-streaming method: yields one message per item. The stream ends OK when the iterable
 * completes; make it complete when `call.signal` aborts (client cancel or server close). Throwing
 * ends the stream with that status, as for a unary method.
 */
export type ServerStreamRpc<Req, Res> = (request: Req, call: RpcCall) => AsyncIterable<Res>;

/** Every method of `marchproxy.ModuleService`, typed with the generated request/response types. */
export interface ModuleServiceRpcs {
  GetStatus: UnaryRpc<GetStatusRequest__Output, GetStatusResponse>;
  Reload: UnaryRpc<ReloadRequest__Output, ReloadResponse>;
  Shutdown: UnaryRpc<ShutdownRequest__Output, ShutdownResponse>;
  CanHandle: UnaryRpc<CanHandleRequest__Output, CanHandleResponse>;
  GetRoutes: UnaryRpc<GetRoutesRequest__Output, GetRoutesResponse>;
  UpdateRoutes: UnaryRpc<UpdateRoutesRequest__Output, UpdateRoutesResponse>;
  DeleteRoute: UnaryRpc<DeleteRouteRequest__Output, DeleteRouteResponse>;
  GetRateLimits: UnaryRpc<GetRateLimitsRequest__Output, GetRateLimitsResponse>;
  SetRateLimit: UnaryRpc<SetRateLimitRequest__Output, SetRateLimitResponse>;
  RemoveRateLimit: UnaryRpc<RemoveRateLimitRequest__Output, RemoveRateLimitResponse>;
  GetMetrics: UnaryRpc<GetMetricsRequest__Output, GetMetricsResponse>;
  Scale: UnaryRpc<ScaleRequest__Output, ScaleResponse>;
  GetInstances: UnaryRpc<GetInstancesRequest__Output, GetInstancesResponse>;
  SetTrafficWeight: UnaryRpc<SetTrafficWeightRequest__Output, SetTrafficWeightResponse>;
  GetActiveVersion: UnaryRpc<GetActiveVersionRequest__Output, GetActiveVersionResponse>;
  Rollback: UnaryRpc<RollbackRequest__Output, RollbackResponse>;
  PromoteVersion: UnaryRpc<PromoteVersionRequest__Output, PromoteVersionResponse>;
  HealthCheck: UnaryRpc<HealthCheckRequest__Output, HealthCheckResponse>;
  GetStats: UnaryRpc<GetStatsRequest__Output, GetStatsResponse>;
  StreamMetrics: ServerStreamRpc<StreamMetricsRequest__Output, StreamMetricsResponse>;
  GetConfig: UnaryRpc<GetConfigRequest__Output, GetConfigResponse>;
  UpdateConfig: UnaryRpc<UpdateConfigRequest__Output, UpdateConfigResponse>;
}

/** Name of a ModuleService method ('GetRoutes', …). */
export type ModuleServiceMethod = keyof ModuleServiceRpcs;

/** Handlers of some ModuleService methods, by method name ('GetRoutes' …), built from the app. */
export type RpcGroup = Partial<ModuleServiceRpcs>;

/** Builds one group of handlers from the Fastify decorations it needs (e.g. `app.rateLimits`). */
export type RpcGroupFactory = (app: FastifyInstance) => RpcGroup;

/** Errors that mean a bug in AILB rather than a store that cannot be reached: they stay INTERNAL. */
const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError];

/**
 * Runs a read or write of shared control-plane state (Redis in split mode). A store that fails —
 * connection closed or refused, Redis down, a command rejected — makes the call UNAVAILABLE, which
 * callers retry, with a message naming what could not be reached; the error itself goes only to the
 * log, because its text can carry the Redis address or credentials.
 */
export async function fromStore<T>(what: string, operation: () => Promise<T>, logger: FastifyBaseLogger): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RpcFailure || PROGRAMMING_ERRORS.some((kind) => error instanceof kind)) throw error;
    logger.warn({ err: error, store: what }, 'control-plane store unavailable');
    throw new RpcFailure(status.UNAVAILABLE, `${what} cannot be reached right now; retry shortly`);
  }
}
