// Original file: marchproxy/module.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CanHandleRequest as _marchproxy_CanHandleRequest, CanHandleRequest__Output as _marchproxy_CanHandleRequest__Output } from '../marchproxy/CanHandleRequest.js';
import type { CanHandleResponse as _marchproxy_CanHandleResponse, CanHandleResponse__Output as _marchproxy_CanHandleResponse__Output } from '../marchproxy/CanHandleResponse.js';
import type { DeleteRouteRequest as _marchproxy_DeleteRouteRequest, DeleteRouteRequest__Output as _marchproxy_DeleteRouteRequest__Output } from '../marchproxy/DeleteRouteRequest.js';
import type { DeleteRouteResponse as _marchproxy_DeleteRouteResponse, DeleteRouteResponse__Output as _marchproxy_DeleteRouteResponse__Output } from '../marchproxy/DeleteRouteResponse.js';
import type { GetActiveVersionRequest as _marchproxy_GetActiveVersionRequest, GetActiveVersionRequest__Output as _marchproxy_GetActiveVersionRequest__Output } from '../marchproxy/GetActiveVersionRequest.js';
import type { GetActiveVersionResponse as _marchproxy_GetActiveVersionResponse, GetActiveVersionResponse__Output as _marchproxy_GetActiveVersionResponse__Output } from '../marchproxy/GetActiveVersionResponse.js';
import type { GetConfigRequest as _marchproxy_GetConfigRequest, GetConfigRequest__Output as _marchproxy_GetConfigRequest__Output } from '../marchproxy/GetConfigRequest.js';
import type { GetConfigResponse as _marchproxy_GetConfigResponse, GetConfigResponse__Output as _marchproxy_GetConfigResponse__Output } from '../marchproxy/GetConfigResponse.js';
import type { GetInstancesRequest as _marchproxy_GetInstancesRequest, GetInstancesRequest__Output as _marchproxy_GetInstancesRequest__Output } from '../marchproxy/GetInstancesRequest.js';
import type { GetInstancesResponse as _marchproxy_GetInstancesResponse, GetInstancesResponse__Output as _marchproxy_GetInstancesResponse__Output } from '../marchproxy/GetInstancesResponse.js';
import type { GetMetricsRequest as _marchproxy_GetMetricsRequest, GetMetricsRequest__Output as _marchproxy_GetMetricsRequest__Output } from '../marchproxy/GetMetricsRequest.js';
import type { GetMetricsResponse as _marchproxy_GetMetricsResponse, GetMetricsResponse__Output as _marchproxy_GetMetricsResponse__Output } from '../marchproxy/GetMetricsResponse.js';
import type { GetRateLimitsRequest as _marchproxy_GetRateLimitsRequest, GetRateLimitsRequest__Output as _marchproxy_GetRateLimitsRequest__Output } from '../marchproxy/GetRateLimitsRequest.js';
import type { GetRateLimitsResponse as _marchproxy_GetRateLimitsResponse, GetRateLimitsResponse__Output as _marchproxy_GetRateLimitsResponse__Output } from '../marchproxy/GetRateLimitsResponse.js';
import type { GetRoutesRequest as _marchproxy_GetRoutesRequest, GetRoutesRequest__Output as _marchproxy_GetRoutesRequest__Output } from '../marchproxy/GetRoutesRequest.js';
import type { GetRoutesResponse as _marchproxy_GetRoutesResponse, GetRoutesResponse__Output as _marchproxy_GetRoutesResponse__Output } from '../marchproxy/GetRoutesResponse.js';
import type { GetStatsRequest as _marchproxy_GetStatsRequest, GetStatsRequest__Output as _marchproxy_GetStatsRequest__Output } from '../marchproxy/GetStatsRequest.js';
import type { GetStatsResponse as _marchproxy_GetStatsResponse, GetStatsResponse__Output as _marchproxy_GetStatsResponse__Output } from '../marchproxy/GetStatsResponse.js';
import type { GetStatusRequest as _marchproxy_GetStatusRequest, GetStatusRequest__Output as _marchproxy_GetStatusRequest__Output } from '../marchproxy/GetStatusRequest.js';
import type { GetStatusResponse as _marchproxy_GetStatusResponse, GetStatusResponse__Output as _marchproxy_GetStatusResponse__Output } from '../marchproxy/GetStatusResponse.js';
import type { HealthCheckRequest as _marchproxy_HealthCheckRequest, HealthCheckRequest__Output as _marchproxy_HealthCheckRequest__Output } from '../marchproxy/HealthCheckRequest.js';
import type { HealthCheckResponse as _marchproxy_HealthCheckResponse, HealthCheckResponse__Output as _marchproxy_HealthCheckResponse__Output } from '../marchproxy/HealthCheckResponse.js';
import type { PromoteVersionRequest as _marchproxy_PromoteVersionRequest, PromoteVersionRequest__Output as _marchproxy_PromoteVersionRequest__Output } from '../marchproxy/PromoteVersionRequest.js';
import type { PromoteVersionResponse as _marchproxy_PromoteVersionResponse, PromoteVersionResponse__Output as _marchproxy_PromoteVersionResponse__Output } from '../marchproxy/PromoteVersionResponse.js';
import type { ReloadRequest as _marchproxy_ReloadRequest, ReloadRequest__Output as _marchproxy_ReloadRequest__Output } from '../marchproxy/ReloadRequest.js';
import type { ReloadResponse as _marchproxy_ReloadResponse, ReloadResponse__Output as _marchproxy_ReloadResponse__Output } from '../marchproxy/ReloadResponse.js';
import type { RemoveRateLimitRequest as _marchproxy_RemoveRateLimitRequest, RemoveRateLimitRequest__Output as _marchproxy_RemoveRateLimitRequest__Output } from '../marchproxy/RemoveRateLimitRequest.js';
import type { RemoveRateLimitResponse as _marchproxy_RemoveRateLimitResponse, RemoveRateLimitResponse__Output as _marchproxy_RemoveRateLimitResponse__Output } from '../marchproxy/RemoveRateLimitResponse.js';
import type { RollbackRequest as _marchproxy_RollbackRequest, RollbackRequest__Output as _marchproxy_RollbackRequest__Output } from '../marchproxy/RollbackRequest.js';
import type { RollbackResponse as _marchproxy_RollbackResponse, RollbackResponse__Output as _marchproxy_RollbackResponse__Output } from '../marchproxy/RollbackResponse.js';
import type { ScaleRequest as _marchproxy_ScaleRequest, ScaleRequest__Output as _marchproxy_ScaleRequest__Output } from '../marchproxy/ScaleRequest.js';
import type { ScaleResponse as _marchproxy_ScaleResponse, ScaleResponse__Output as _marchproxy_ScaleResponse__Output } from '../marchproxy/ScaleResponse.js';
import type { SetRateLimitRequest as _marchproxy_SetRateLimitRequest, SetRateLimitRequest__Output as _marchproxy_SetRateLimitRequest__Output } from '../marchproxy/SetRateLimitRequest.js';
import type { SetRateLimitResponse as _marchproxy_SetRateLimitResponse, SetRateLimitResponse__Output as _marchproxy_SetRateLimitResponse__Output } from '../marchproxy/SetRateLimitResponse.js';
import type { SetTrafficWeightRequest as _marchproxy_SetTrafficWeightRequest, SetTrafficWeightRequest__Output as _marchproxy_SetTrafficWeightRequest__Output } from '../marchproxy/SetTrafficWeightRequest.js';
import type { SetTrafficWeightResponse as _marchproxy_SetTrafficWeightResponse, SetTrafficWeightResponse__Output as _marchproxy_SetTrafficWeightResponse__Output } from '../marchproxy/SetTrafficWeightResponse.js';
import type { ShutdownRequest as _marchproxy_ShutdownRequest, ShutdownRequest__Output as _marchproxy_ShutdownRequest__Output } from '../marchproxy/ShutdownRequest.js';
import type { ShutdownResponse as _marchproxy_ShutdownResponse, ShutdownResponse__Output as _marchproxy_ShutdownResponse__Output } from '../marchproxy/ShutdownResponse.js';
import type { StreamMetricsRequest as _marchproxy_StreamMetricsRequest, StreamMetricsRequest__Output as _marchproxy_StreamMetricsRequest__Output } from '../marchproxy/StreamMetricsRequest.js';
import type { StreamMetricsResponse as _marchproxy_StreamMetricsResponse, StreamMetricsResponse__Output as _marchproxy_StreamMetricsResponse__Output } from '../marchproxy/StreamMetricsResponse.js';
import type { UpdateConfigRequest as _marchproxy_UpdateConfigRequest, UpdateConfigRequest__Output as _marchproxy_UpdateConfigRequest__Output } from '../marchproxy/UpdateConfigRequest.js';
import type { UpdateConfigResponse as _marchproxy_UpdateConfigResponse, UpdateConfigResponse__Output as _marchproxy_UpdateConfigResponse__Output } from '../marchproxy/UpdateConfigResponse.js';
import type { UpdateRoutesRequest as _marchproxy_UpdateRoutesRequest, UpdateRoutesRequest__Output as _marchproxy_UpdateRoutesRequest__Output } from '../marchproxy/UpdateRoutesRequest.js';
import type { UpdateRoutesResponse as _marchproxy_UpdateRoutesResponse, UpdateRoutesResponse__Output as _marchproxy_UpdateRoutesResponse__Output } from '../marchproxy/UpdateRoutesResponse.js';

/**
 * Control plane of one module kind (AILB here), called by the MarchProxy NLB.
 */
export interface ModuleServiceClient extends grpc.Client {
  CanHandle(argument: _marchproxy_CanHandleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  CanHandle(argument: _marchproxy_CanHandleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  CanHandle(argument: _marchproxy_CanHandleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  CanHandle(argument: _marchproxy_CanHandleRequest, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  canHandle(argument: _marchproxy_CanHandleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  canHandle(argument: _marchproxy_CanHandleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  canHandle(argument: _marchproxy_CanHandleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  canHandle(argument: _marchproxy_CanHandleRequest, callback: grpc.requestCallback<_marchproxy_CanHandleResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteRoute(argument: _marchproxy_DeleteRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _marchproxy_DeleteRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _marchproxy_DeleteRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _marchproxy_DeleteRouteRequest, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _marchproxy_DeleteRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _marchproxy_DeleteRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _marchproxy_DeleteRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _marchproxy_DeleteRouteRequest, callback: grpc.requestCallback<_marchproxy_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  
  GetActiveVersion(argument: _marchproxy_GetActiveVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  GetActiveVersion(argument: _marchproxy_GetActiveVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  GetActiveVersion(argument: _marchproxy_GetActiveVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  GetActiveVersion(argument: _marchproxy_GetActiveVersionRequest, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  getActiveVersion(argument: _marchproxy_GetActiveVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  getActiveVersion(argument: _marchproxy_GetActiveVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  getActiveVersion(argument: _marchproxy_GetActiveVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  getActiveVersion(argument: _marchproxy_GetActiveVersionRequest, callback: grpc.requestCallback<_marchproxy_GetActiveVersionResponse__Output>): grpc.ClientUnaryCall;
  
  GetConfig(argument: _marchproxy_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _marchproxy_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _marchproxy_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _marchproxy_GetConfigRequest, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _marchproxy_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _marchproxy_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _marchproxy_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _marchproxy_GetConfigRequest, callback: grpc.requestCallback<_marchproxy_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  
  GetInstances(argument: _marchproxy_GetInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  GetInstances(argument: _marchproxy_GetInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  GetInstances(argument: _marchproxy_GetInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  GetInstances(argument: _marchproxy_GetInstancesRequest, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  getInstances(argument: _marchproxy_GetInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  getInstances(argument: _marchproxy_GetInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  getInstances(argument: _marchproxy_GetInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  getInstances(argument: _marchproxy_GetInstancesRequest, callback: grpc.requestCallback<_marchproxy_GetInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  GetMetrics(argument: _marchproxy_GetMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetMetrics(argument: _marchproxy_GetMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetMetrics(argument: _marchproxy_GetMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetMetrics(argument: _marchproxy_GetMetricsRequest, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  getMetrics(argument: _marchproxy_GetMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  getMetrics(argument: _marchproxy_GetMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  getMetrics(argument: _marchproxy_GetMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  getMetrics(argument: _marchproxy_GetMetricsRequest, callback: grpc.requestCallback<_marchproxy_GetMetricsResponse__Output>): grpc.ClientUnaryCall;
  
  GetRateLimits(argument: _marchproxy_GetRateLimitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetRateLimits(argument: _marchproxy_GetRateLimitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetRateLimits(argument: _marchproxy_GetRateLimitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetRateLimits(argument: _marchproxy_GetRateLimitsRequest, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  getRateLimits(argument: _marchproxy_GetRateLimitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  getRateLimits(argument: _marchproxy_GetRateLimitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  getRateLimits(argument: _marchproxy_GetRateLimitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  getRateLimits(argument: _marchproxy_GetRateLimitsRequest, callback: grpc.requestCallback<_marchproxy_GetRateLimitsResponse__Output>): grpc.ClientUnaryCall;
  
  GetRoutes(argument: _marchproxy_GetRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _marchproxy_GetRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _marchproxy_GetRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  GetRoutes(argument: _marchproxy_GetRoutesRequest, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _marchproxy_GetRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _marchproxy_GetRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _marchproxy_GetRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  getRoutes(argument: _marchproxy_GetRoutesRequest, callback: grpc.requestCallback<_marchproxy_GetRoutesResponse__Output>): grpc.ClientUnaryCall;
  
  GetStats(argument: _marchproxy_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _marchproxy_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _marchproxy_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  GetStats(argument: _marchproxy_GetStatsRequest, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _marchproxy_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _marchproxy_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _marchproxy_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  getStats(argument: _marchproxy_GetStatsRequest, callback: grpc.requestCallback<_marchproxy_GetStatsResponse__Output>): grpc.ClientUnaryCall;
  
  GetStatus(argument: _marchproxy_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _marchproxy_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _marchproxy_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _marchproxy_GetStatusRequest, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _marchproxy_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _marchproxy_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _marchproxy_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _marchproxy_GetStatusRequest, callback: grpc.requestCallback<_marchproxy_GetStatusResponse__Output>): grpc.ClientUnaryCall;
  
  HealthCheck(argument: _marchproxy_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _marchproxy_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _marchproxy_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  HealthCheck(argument: _marchproxy_HealthCheckRequest, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _marchproxy_HealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _marchproxy_HealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _marchproxy_HealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  healthCheck(argument: _marchproxy_HealthCheckRequest, callback: grpc.requestCallback<_marchproxy_HealthCheckResponse__Output>): grpc.ClientUnaryCall;
  
  PromoteVersion(argument: _marchproxy_PromoteVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteVersion(argument: _marchproxy_PromoteVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteVersion(argument: _marchproxy_PromoteVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  PromoteVersion(argument: _marchproxy_PromoteVersionRequest, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteVersion(argument: _marchproxy_PromoteVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteVersion(argument: _marchproxy_PromoteVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteVersion(argument: _marchproxy_PromoteVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  promoteVersion(argument: _marchproxy_PromoteVersionRequest, callback: grpc.requestCallback<_marchproxy_PromoteVersionResponse__Output>): grpc.ClientUnaryCall;
  
  Reload(argument: _marchproxy_ReloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  Reload(argument: _marchproxy_ReloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  Reload(argument: _marchproxy_ReloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  Reload(argument: _marchproxy_ReloadRequest, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  reload(argument: _marchproxy_ReloadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  reload(argument: _marchproxy_ReloadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  reload(argument: _marchproxy_ReloadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  reload(argument: _marchproxy_ReloadRequest, callback: grpc.requestCallback<_marchproxy_ReloadResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveRateLimit(argument: _marchproxy_RemoveRateLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveRateLimit(argument: _marchproxy_RemoveRateLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveRateLimit(argument: _marchproxy_RemoveRateLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveRateLimit(argument: _marchproxy_RemoveRateLimitRequest, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  removeRateLimit(argument: _marchproxy_RemoveRateLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  removeRateLimit(argument: _marchproxy_RemoveRateLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  removeRateLimit(argument: _marchproxy_RemoveRateLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  removeRateLimit(argument: _marchproxy_RemoveRateLimitRequest, callback: grpc.requestCallback<_marchproxy_RemoveRateLimitResponse__Output>): grpc.ClientUnaryCall;
  
  Rollback(argument: _marchproxy_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _marchproxy_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _marchproxy_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _marchproxy_RollbackRequest, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _marchproxy_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _marchproxy_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _marchproxy_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _marchproxy_RollbackRequest, callback: grpc.requestCallback<_marchproxy_RollbackResponse__Output>): grpc.ClientUnaryCall;
  
  Scale(argument: _marchproxy_ScaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _marchproxy_ScaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _marchproxy_ScaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _marchproxy_ScaleRequest, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _marchproxy_ScaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _marchproxy_ScaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _marchproxy_ScaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _marchproxy_ScaleRequest, callback: grpc.requestCallback<_marchproxy_ScaleResponse__Output>): grpc.ClientUnaryCall;
  
  SetRateLimit(argument: _marchproxy_SetRateLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  SetRateLimit(argument: _marchproxy_SetRateLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  SetRateLimit(argument: _marchproxy_SetRateLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  SetRateLimit(argument: _marchproxy_SetRateLimitRequest, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  setRateLimit(argument: _marchproxy_SetRateLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  setRateLimit(argument: _marchproxy_SetRateLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  setRateLimit(argument: _marchproxy_SetRateLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  setRateLimit(argument: _marchproxy_SetRateLimitRequest, callback: grpc.requestCallback<_marchproxy_SetRateLimitResponse__Output>): grpc.ClientUnaryCall;
  
  SetTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  SetTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  SetTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  SetTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  setTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  setTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  setTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  setTrafficWeight(argument: _marchproxy_SetTrafficWeightRequest, callback: grpc.requestCallback<_marchproxy_SetTrafficWeightResponse__Output>): grpc.ClientUnaryCall;
  
  Shutdown(argument: _marchproxy_ShutdownRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _marchproxy_ShutdownRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _marchproxy_ShutdownRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  Shutdown(argument: _marchproxy_ShutdownRequest, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _marchproxy_ShutdownRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _marchproxy_ShutdownRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _marchproxy_ShutdownRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  shutdown(argument: _marchproxy_ShutdownRequest, callback: grpc.requestCallback<_marchproxy_ShutdownResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pushes one metrics batch per interval until the client cancels or the server closes.
   */
  StreamMetrics(argument: _marchproxy_StreamMetricsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_marchproxy_StreamMetricsResponse__Output>;
  StreamMetrics(argument: _marchproxy_StreamMetricsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_marchproxy_StreamMetricsResponse__Output>;
  /**
   * Pushes one metrics batch per interval until the client cancels or the server closes.
   */
  streamMetrics(argument: _marchproxy_StreamMetricsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_marchproxy_StreamMetricsResponse__Output>;
  streamMetrics(argument: _marchproxy_StreamMetricsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_marchproxy_StreamMetricsResponse__Output>;
  
  UpdateConfig(argument: _marchproxy_UpdateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _marchproxy_UpdateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _marchproxy_UpdateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _marchproxy_UpdateConfigRequest, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _marchproxy_UpdateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _marchproxy_UpdateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _marchproxy_UpdateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _marchproxy_UpdateConfigRequest, callback: grpc.requestCallback<_marchproxy_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateRoutes(argument: _marchproxy_UpdateRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  UpdateRoutes(argument: _marchproxy_UpdateRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  UpdateRoutes(argument: _marchproxy_UpdateRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  UpdateRoutes(argument: _marchproxy_UpdateRoutesRequest, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  updateRoutes(argument: _marchproxy_UpdateRoutesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  updateRoutes(argument: _marchproxy_UpdateRoutesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  updateRoutes(argument: _marchproxy_UpdateRoutesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  updateRoutes(argument: _marchproxy_UpdateRoutesRequest, callback: grpc.requestCallback<_marchproxy_UpdateRoutesResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Control plane of one module kind (AILB here), called by the MarchProxy NLB.
 */
export interface ModuleServiceHandlers extends grpc.UntypedServiceImplementation {
  CanHandle: grpc.handleUnaryCall<_marchproxy_CanHandleRequest__Output, _marchproxy_CanHandleResponse>;
  
  DeleteRoute: grpc.handleUnaryCall<_marchproxy_DeleteRouteRequest__Output, _marchproxy_DeleteRouteResponse>;
  
  GetActiveVersion: grpc.handleUnaryCall<_marchproxy_GetActiveVersionRequest__Output, _marchproxy_GetActiveVersionResponse>;
  
  GetConfig: grpc.handleUnaryCall<_marchproxy_GetConfigRequest__Output, _marchproxy_GetConfigResponse>;
  
  GetInstances: grpc.handleUnaryCall<_marchproxy_GetInstancesRequest__Output, _marchproxy_GetInstancesResponse>;
  
  GetMetrics: grpc.handleUnaryCall<_marchproxy_GetMetricsRequest__Output, _marchproxy_GetMetricsResponse>;
  
  GetRateLimits: grpc.handleUnaryCall<_marchproxy_GetRateLimitsRequest__Output, _marchproxy_GetRateLimitsResponse>;
  
  GetRoutes: grpc.handleUnaryCall<_marchproxy_GetRoutesRequest__Output, _marchproxy_GetRoutesResponse>;
  
  GetStats: grpc.handleUnaryCall<_marchproxy_GetStatsRequest__Output, _marchproxy_GetStatsResponse>;
  
  GetStatus: grpc.handleUnaryCall<_marchproxy_GetStatusRequest__Output, _marchproxy_GetStatusResponse>;
  
  HealthCheck: grpc.handleUnaryCall<_marchproxy_HealthCheckRequest__Output, _marchproxy_HealthCheckResponse>;
  
  PromoteVersion: grpc.handleUnaryCall<_marchproxy_PromoteVersionRequest__Output, _marchproxy_PromoteVersionResponse>;
  
  Reload: grpc.handleUnaryCall<_marchproxy_ReloadRequest__Output, _marchproxy_ReloadResponse>;
  
  RemoveRateLimit: grpc.handleUnaryCall<_marchproxy_RemoveRateLimitRequest__Output, _marchproxy_RemoveRateLimitResponse>;
  
  Rollback: grpc.handleUnaryCall<_marchproxy_RollbackRequest__Output, _marchproxy_RollbackResponse>;
  
  Scale: grpc.handleUnaryCall<_marchproxy_ScaleRequest__Output, _marchproxy_ScaleResponse>;
  
  SetRateLimit: grpc.handleUnaryCall<_marchproxy_SetRateLimitRequest__Output, _marchproxy_SetRateLimitResponse>;
  
  SetTrafficWeight: grpc.handleUnaryCall<_marchproxy_SetTrafficWeightRequest__Output, _marchproxy_SetTrafficWeightResponse>;
  
  Shutdown: grpc.handleUnaryCall<_marchproxy_ShutdownRequest__Output, _marchproxy_ShutdownResponse>;
  
  /**
   * Pushes one metrics batch per interval until the client cancels or the server closes.
   */
  StreamMetrics: grpc.handleServerStreamingCall<_marchproxy_StreamMetricsRequest__Output, _marchproxy_StreamMetricsResponse>;
  
  UpdateConfig: grpc.handleUnaryCall<_marchproxy_UpdateConfigRequest__Output, _marchproxy_UpdateConfigResponse>;
  
  UpdateRoutes: grpc.handleUnaryCall<_marchproxy_UpdateRoutesRequest__Output, _marchproxy_UpdateRoutesResponse>;
  
}

export interface ModuleServiceDefinition extends grpc.ServiceDefinition {
  CanHandle: MethodDefinition<_marchproxy_CanHandleRequest, _marchproxy_CanHandleResponse, _marchproxy_CanHandleRequest__Output, _marchproxy_CanHandleResponse__Output>
  DeleteRoute: MethodDefinition<_marchproxy_DeleteRouteRequest, _marchproxy_DeleteRouteResponse, _marchproxy_DeleteRouteRequest__Output, _marchproxy_DeleteRouteResponse__Output>
  GetActiveVersion: MethodDefinition<_marchproxy_GetActiveVersionRequest, _marchproxy_GetActiveVersionResponse, _marchproxy_GetActiveVersionRequest__Output, _marchproxy_GetActiveVersionResponse__Output>
  GetConfig: MethodDefinition<_marchproxy_GetConfigRequest, _marchproxy_GetConfigResponse, _marchproxy_GetConfigRequest__Output, _marchproxy_GetConfigResponse__Output>
  GetInstances: MethodDefinition<_marchproxy_GetInstancesRequest, _marchproxy_GetInstancesResponse, _marchproxy_GetInstancesRequest__Output, _marchproxy_GetInstancesResponse__Output>
  GetMetrics: MethodDefinition<_marchproxy_GetMetricsRequest, _marchproxy_GetMetricsResponse, _marchproxy_GetMetricsRequest__Output, _marchproxy_GetMetricsResponse__Output>
  GetRateLimits: MethodDefinition<_marchproxy_GetRateLimitsRequest, _marchproxy_GetRateLimitsResponse, _marchproxy_GetRateLimitsRequest__Output, _marchproxy_GetRateLimitsResponse__Output>
  GetRoutes: MethodDefinition<_marchproxy_GetRoutesRequest, _marchproxy_GetRoutesResponse, _marchproxy_GetRoutesRequest__Output, _marchproxy_GetRoutesResponse__Output>
  GetStats: MethodDefinition<_marchproxy_GetStatsRequest, _marchproxy_GetStatsResponse, _marchproxy_GetStatsRequest__Output, _marchproxy_GetStatsResponse__Output>
  GetStatus: MethodDefinition<_marchproxy_GetStatusRequest, _marchproxy_GetStatusResponse, _marchproxy_GetStatusRequest__Output, _marchproxy_GetStatusResponse__Output>
  HealthCheck: MethodDefinition<_marchproxy_HealthCheckRequest, _marchproxy_HealthCheckResponse, _marchproxy_HealthCheckRequest__Output, _marchproxy_HealthCheckResponse__Output>
  PromoteVersion: MethodDefinition<_marchproxy_PromoteVersionRequest, _marchproxy_PromoteVersionResponse, _marchproxy_PromoteVersionRequest__Output, _marchproxy_PromoteVersionResponse__Output>
  Reload: MethodDefinition<_marchproxy_ReloadRequest, _marchproxy_ReloadResponse, _marchproxy_ReloadRequest__Output, _marchproxy_ReloadResponse__Output>
  RemoveRateLimit: MethodDefinition<_marchproxy_RemoveRateLimitRequest, _marchproxy_RemoveRateLimitResponse, _marchproxy_RemoveRateLimitRequest__Output, _marchproxy_RemoveRateLimitResponse__Output>
  Rollback: MethodDefinition<_marchproxy_RollbackRequest, _marchproxy_RollbackResponse, _marchproxy_RollbackRequest__Output, _marchproxy_RollbackResponse__Output>
  Scale: MethodDefinition<_marchproxy_ScaleRequest, _marchproxy_ScaleResponse, _marchproxy_ScaleRequest__Output, _marchproxy_ScaleResponse__Output>
  SetRateLimit: MethodDefinition<_marchproxy_SetRateLimitRequest, _marchproxy_SetRateLimitResponse, _marchproxy_SetRateLimitRequest__Output, _marchproxy_SetRateLimitResponse__Output>
  SetTrafficWeight: MethodDefinition<_marchproxy_SetTrafficWeightRequest, _marchproxy_SetTrafficWeightResponse, _marchproxy_SetTrafficWeightRequest__Output, _marchproxy_SetTrafficWeightResponse__Output>
  Shutdown: MethodDefinition<_marchproxy_ShutdownRequest, _marchproxy_ShutdownResponse, _marchproxy_ShutdownRequest__Output, _marchproxy_ShutdownResponse__Output>
  StreamMetrics: MethodDefinition<_marchproxy_StreamMetricsRequest, _marchproxy_StreamMetricsResponse, _marchproxy_StreamMetricsRequest__Output, _marchproxy_StreamMetricsResponse__Output>
  UpdateConfig: MethodDefinition<_marchproxy_UpdateConfigRequest, _marchproxy_UpdateConfigResponse, _marchproxy_UpdateConfigRequest__Output, _marchproxy_UpdateConfigResponse__Output>
  UpdateRoutes: MethodDefinition<_marchproxy_UpdateRoutesRequest, _marchproxy_UpdateRoutesResponse, _marchproxy_UpdateRoutesRequest__Output, _marchproxy_UpdateRoutesResponse__Output>
}
