import {
  decodeRpcStatus,
  loadModuleServicePackage,
  STATUS_DETAILS_TRAILER,
  type RpcStatus,
  type CanHandleRequest,
  type CanHandleResponse__Output,
  type DeleteRouteRequest,
  type DeleteRouteResponse__Output,
  type GetActiveVersionRequest,
  type GetActiveVersionResponse__Output,
  type GetConfigRequest,
  type GetConfigResponse__Output,
  type GetInstancesRequest,
  type GetInstancesResponse__Output,
  type GetMetricsRequest,
  type GetMetricsResponse__Output,
  type GetRateLimitsRequest,
  type GetRateLimitsResponse__Output,
  type GetRoutesRequest,
  type GetRoutesResponse__Output,
  type GetStatsRequest,
  type GetStatsResponse__Output,
  type GetStatusRequest,
  type GetStatusResponse__Output,
  type HealthCheckRequest,
  type HealthCheckResponse__Output,
  type ModuleServiceClient,
  type PromoteVersionRequest,
  type PromoteVersionResponse__Output,
  type ReloadRequest,
  type ReloadResponse__Output,
  type RemoveRateLimitRequest,
  type RemoveRateLimitResponse__Output,
  type RollbackRequest,
  type RollbackResponse__Output,
  type ScaleRequest,
  type ScaleResponse__Output,
  type SetRateLimitRequest,
  type SetRateLimitResponse__Output,
  type SetTrafficWeightRequest,
  type SetTrafficWeightResponse__Output,
  type ShutdownRequest,
  type ShutdownResponse__Output,
  type StreamMetricsRequest,
  type StreamMetricsResponse__Output,
  type UpdateConfigRequest,
  type UpdateConfigResponse__Output,
  type UpdateRoutesRequest,
  type UpdateRoutesResponse__Output,
} from '@ailb/proto';
import {
  credentials,
  InterceptingCall,
  Metadata,
  type CallOptions,
  type ChannelOptions,
  type ClientReadableStream,
  type Interceptor,
  type MethodDefinition,
  type ServiceError,
} from '@grpc/grpc-js';

/** Request and decoded response type of every unary ModuleService method. */
export interface ModuleServiceUnaryTypes {
  GetStatus: [GetStatusRequest, GetStatusResponse__Output];
  Reload: [ReloadRequest, ReloadResponse__Output];
  Shutdown: [ShutdownRequest, ShutdownResponse__Output];
  CanHandle: [CanHandleRequest, CanHandleResponse__Output];
  GetRoutes: [GetRoutesRequest, GetRoutesResponse__Output];
  UpdateRoutes: [UpdateRoutesRequest, UpdateRoutesResponse__Output];
  DeleteRoute: [DeleteRouteRequest, DeleteRouteResponse__Output];
  GetRateLimits: [GetRateLimitsRequest, GetRateLimitsResponse__Output];
  SetRateLimit: [SetRateLimitRequest, SetRateLimitResponse__Output];
  RemoveRateLimit: [RemoveRateLimitRequest, RemoveRateLimitResponse__Output];
  GetMetrics: [GetMetricsRequest, GetMetricsResponse__Output];
  Scale: [ScaleRequest, ScaleResponse__Output];
  GetInstances: [GetInstancesRequest, GetInstancesResponse__Output];
  SetTrafficWeight: [SetTrafficWeightRequest, SetTrafficWeightResponse__Output];
  GetActiveVersion: [GetActiveVersionRequest, GetActiveVersionResponse__Output];
  Rollback: [RollbackRequest, RollbackResponse__Output];
  PromoteVersion: [PromoteVersionRequest, PromoteVersionResponse__Output];
  HealthCheck: [HealthCheckRequest, HealthCheckResponse__Output];
  GetStats: [GetStatsRequest, GetStatsResponse__Output];
  GetConfig: [GetConfigRequest, GetConfigResponse__Output];
  UpdateConfig: [UpdateConfigRequest, UpdateConfigResponse__Output];
}

/** Per-call options of the promise methods. */
export interface ModuleServiceCallOptions {
  /** Extra request metadata (the token, when configured, is added anyway). */
  metadata?: Metadata;
  /** Deadline in milliseconds from now. @defaultValue 10 000 */
  timeoutMs?: number;
}

/** Promise-returning unary methods: resolve with the response, reject with grpc-js's ServiceError. */
export type ModuleServiceUnaryMethods = {
  [Method in keyof ModuleServiceUnaryTypes]: (
    request: ModuleServiceUnaryTypes[Method][0],
    options?: ModuleServiceCallOptions,
  ) => Promise<ModuleServiceUnaryTypes[Method][1]>;
};

/** A ModuleService client for tests and tools; see {@link createModuleServiceClient}. */
export interface ModuleServiceTestClient extends ModuleServiceUnaryMethods {
  /** The underlying generated client (streams, call options, channel state). */
  readonly raw: ModuleServiceClient;
  /** Opens `StreamMetrics`; cancel with `stream.cancel()`. */
  streamMetrics(request: StreamMetricsRequest, metadata?: Metadata): ClientReadableStream<StreamMetricsResponse__Output>;
  /**
   * Decodes the `marchproxy-response-bin` trailer of a failed call (the method's response with
   * `success=false` and its `error` filled in); `null` when the failure carried none.
   */
  failureResponse<Method extends keyof ModuleServiceUnaryTypes>(method: Method, error: ServiceError): ModuleServiceUnaryTypes[Method][1] | null;
  /**
   * Decodes the standard `grpc-status-details-bin` trailer of a failed call (`google.rpc.Status`, its
   * `Any` details unpacked: `{ "@type": …, field_violations: […] }`); `null` when the failure carried none.
   */
  statusDetails(error: ServiceError): RpcStatus | null;
  /** Resolves once the channel is connected; rejects after `timeoutMs`. */
  waitForReady(timeoutMs?: number): Promise<void>;
  /** Closes the channel. Idempotent. */
  close(): void;
}

/** Options of {@link createModuleServiceClient}. */
export interface ModuleServiceClientOptions {
  /** Sent on every call (unary and stream) as `authorization: Bearer <token>`. */
  token?: string;
  /** PEM of the CA (or self-signed certificate) to trust; set: the channel uses TLS. */
  rootCert?: Buffer | string;
  /** Host name to verify the server certificate against when it differs from the address. */
  serverName?: string;
  /** Extra grpc-js channel options (keepalive, …). */
  channelOptions?: ChannelOptions;
}

const RESPONSE_TRAILER = 'marchproxy-response-bin';

type RawUnaryMethod = (
  request: object,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, response?: unknown) => void,
) => unknown;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A `marchproxy.ModuleService` client built only from the .proto files (through @ailb/proto's
 * loader, the same options as the server), independent of the gateway's code: what it sees is what
 * any other gRPC client would see.
 */
export function createModuleServiceClient(address: string, options: ModuleServiceClientOptions = {}): ModuleServiceTestClient {
  const ModuleService = loadModuleServicePackage().marchproxy.ModuleService;
  const channelCredentials =
    options.rootCert === undefined ? credentials.createInsecure() : credentials.createSsl(Buffer.from(options.rootCert));
  const channelOptions: ChannelOptions = { ...options.channelOptions };
  if (options.serverName !== undefined) channelOptions['grpc.ssl_target_name_override'] = options.serverName;
  if (options.token !== undefined) channelOptions.interceptors = [bearerInterceptor(options.token)];
  const raw = new ModuleService(address, channelCredentials, channelOptions);
  const definition = ModuleService.service;

  const unary = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(definition)) {
    if (method.responseStream) continue;
    unary[name] = (request: object, callOptions: ModuleServiceCallOptions = {}) =>
      new Promise((resolve, reject) => {
        const deadline: CallOptions = { deadline: Date.now() + (callOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS) };
        const invoke = (raw as unknown as Record<string, RawUnaryMethod>)[name]!.bind(raw);
        invoke(request, callOptions.metadata ?? new Metadata(), deadline, (error: ServiceError | null, response: unknown) =>
          error ? reject(error) : resolve(response),
        );
      });
  }

  let closed = false;
  return {
    ...(unary as ModuleServiceUnaryMethods),
    raw,
    streamMetrics: (request, metadata = new Metadata()) => raw.StreamMetrics(request, metadata),
    failureResponse(method, error) {
      const [encoded] = error.metadata?.get(RESPONSE_TRAILER) ?? [];
      if (!Buffer.isBuffer(encoded)) return null;
      const methodDefinition = definition[method] as MethodDefinition<unknown, ModuleServiceUnaryTypes[typeof method][1]>;
      return methodDefinition.responseDeserialize(encoded);
    },
    statusDetails(error) {
      const [encoded] = error.metadata?.get(STATUS_DETAILS_TRAILER) ?? [];
      return Buffer.isBuffer(encoded) ? decodeRpcStatus(encoded) : null;
    },
    waitForReady: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
      new Promise((resolve, reject) => raw.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve()))),
    close() {
      if (closed) return;
      closed = true;
      raw.close();
    },
  };
}

// An interceptor, not per-call metadata, so streams and raw calls carry the token too; call
// credentials would refuse the insecure channels the NLB (and most tests) use.
function bearerInterceptor(token: string): Interceptor {
  return (callOptions, nextCall) =>
    new InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

/**
 * The error of a call expected to fail (to assert on its `code`, `details` and trailers). Rejects
 * with an Error when the call succeeded, so a test expecting a failure cannot pass by accident.
 */
export function rpcFailure(call: Promise<unknown>): Promise<ServiceError> {
  return call.then(
    (response: unknown) => {
      throw new Error(`expected the call to fail, but it succeeded with ${JSON.stringify(response).slice(0, 300)}`);
    },
    (error: ServiceError) => error,
  );
}
