import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { BlueGreenConfig as _marchproxy_BlueGreenConfig, BlueGreenConfig__Output as _marchproxy_BlueGreenConfig__Output } from './marchproxy/BlueGreenConfig.js';
import type { CanHandleRequest as _marchproxy_CanHandleRequest, CanHandleRequest__Output as _marchproxy_CanHandleRequest__Output } from './marchproxy/CanHandleRequest.js';
import type { CanHandleResponse as _marchproxy_CanHandleResponse, CanHandleResponse__Output as _marchproxy_CanHandleResponse__Output } from './marchproxy/CanHandleResponse.js';
import type { ConfigUpdate as _marchproxy_ConfigUpdate, ConfigUpdate__Output as _marchproxy_ConfigUpdate__Output } from './marchproxy/ConfigUpdate.js';
import type { DeleteRouteRequest as _marchproxy_DeleteRouteRequest, DeleteRouteRequest__Output as _marchproxy_DeleteRouteRequest__Output } from './marchproxy/DeleteRouteRequest.js';
import type { DeleteRouteResponse as _marchproxy_DeleteRouteResponse, DeleteRouteResponse__Output as _marchproxy_DeleteRouteResponse__Output } from './marchproxy/DeleteRouteResponse.js';
import type { Error as _marchproxy_Error, Error__Output as _marchproxy_Error__Output } from './marchproxy/Error.js';
import type { Filter as _marchproxy_Filter, Filter__Output as _marchproxy_Filter__Output } from './marchproxy/Filter.js';
import type { GetActiveVersionRequest as _marchproxy_GetActiveVersionRequest, GetActiveVersionRequest__Output as _marchproxy_GetActiveVersionRequest__Output } from './marchproxy/GetActiveVersionRequest.js';
import type { GetActiveVersionResponse as _marchproxy_GetActiveVersionResponse, GetActiveVersionResponse__Output as _marchproxy_GetActiveVersionResponse__Output } from './marchproxy/GetActiveVersionResponse.js';
import type { GetConfigRequest as _marchproxy_GetConfigRequest, GetConfigRequest__Output as _marchproxy_GetConfigRequest__Output } from './marchproxy/GetConfigRequest.js';
import type { GetConfigResponse as _marchproxy_GetConfigResponse, GetConfigResponse__Output as _marchproxy_GetConfigResponse__Output } from './marchproxy/GetConfigResponse.js';
import type { GetInstancesRequest as _marchproxy_GetInstancesRequest, GetInstancesRequest__Output as _marchproxy_GetInstancesRequest__Output } from './marchproxy/GetInstancesRequest.js';
import type { GetInstancesResponse as _marchproxy_GetInstancesResponse, GetInstancesResponse__Output as _marchproxy_GetInstancesResponse__Output } from './marchproxy/GetInstancesResponse.js';
import type { GetMetricsRequest as _marchproxy_GetMetricsRequest, GetMetricsRequest__Output as _marchproxy_GetMetricsRequest__Output } from './marchproxy/GetMetricsRequest.js';
import type { GetMetricsResponse as _marchproxy_GetMetricsResponse, GetMetricsResponse__Output as _marchproxy_GetMetricsResponse__Output } from './marchproxy/GetMetricsResponse.js';
import type { GetRateLimitsRequest as _marchproxy_GetRateLimitsRequest, GetRateLimitsRequest__Output as _marchproxy_GetRateLimitsRequest__Output } from './marchproxy/GetRateLimitsRequest.js';
import type { GetRateLimitsResponse as _marchproxy_GetRateLimitsResponse, GetRateLimitsResponse__Output as _marchproxy_GetRateLimitsResponse__Output } from './marchproxy/GetRateLimitsResponse.js';
import type { GetRoutesRequest as _marchproxy_GetRoutesRequest, GetRoutesRequest__Output as _marchproxy_GetRoutesRequest__Output } from './marchproxy/GetRoutesRequest.js';
import type { GetRoutesResponse as _marchproxy_GetRoutesResponse, GetRoutesResponse__Output as _marchproxy_GetRoutesResponse__Output } from './marchproxy/GetRoutesResponse.js';
import type { GetStatsRequest as _marchproxy_GetStatsRequest, GetStatsRequest__Output as _marchproxy_GetStatsRequest__Output } from './marchproxy/GetStatsRequest.js';
import type { GetStatsResponse as _marchproxy_GetStatsResponse, GetStatsResponse__Output as _marchproxy_GetStatsResponse__Output } from './marchproxy/GetStatsResponse.js';
import type { GetStatusRequest as _marchproxy_GetStatusRequest, GetStatusRequest__Output as _marchproxy_GetStatusRequest__Output } from './marchproxy/GetStatusRequest.js';
import type { GetStatusResponse as _marchproxy_GetStatusResponse, GetStatusResponse__Output as _marchproxy_GetStatusResponse__Output } from './marchproxy/GetStatusResponse.js';
import type { HealthCheckConfig as _marchproxy_HealthCheckConfig, HealthCheckConfig__Output as _marchproxy_HealthCheckConfig__Output } from './marchproxy/HealthCheckConfig.js';
import type { HealthCheckRequest as _marchproxy_HealthCheckRequest, HealthCheckRequest__Output as _marchproxy_HealthCheckRequest__Output } from './marchproxy/HealthCheckRequest.js';
import type { HealthCheckResponse as _marchproxy_HealthCheckResponse, HealthCheckResponse__Output as _marchproxy_HealthCheckResponse__Output } from './marchproxy/HealthCheckResponse.js';
import type { MetricDataPoint as _marchproxy_MetricDataPoint, MetricDataPoint__Output as _marchproxy_MetricDataPoint__Output } from './marchproxy/MetricDataPoint.js';
import type { ModuleInstance as _marchproxy_ModuleInstance, ModuleInstance__Output as _marchproxy_ModuleInstance__Output } from './marchproxy/ModuleInstance.js';
import type { ModuleMetrics as _marchproxy_ModuleMetrics, ModuleMetrics__Output as _marchproxy_ModuleMetrics__Output } from './marchproxy/ModuleMetrics.js';
import type { ModuleServiceClient as _marchproxy_ModuleServiceClient, ModuleServiceDefinition as _marchproxy_ModuleServiceDefinition } from './marchproxy/ModuleService.js';
import type { ModuleStats as _marchproxy_ModuleStats, ModuleStats__Output as _marchproxy_ModuleStats__Output } from './marchproxy/ModuleStats.js';
import type { Pagination as _marchproxy_Pagination, Pagination__Output as _marchproxy_Pagination__Output } from './marchproxy/Pagination.js';
import type { PromoteVersionRequest as _marchproxy_PromoteVersionRequest, PromoteVersionRequest__Output as _marchproxy_PromoteVersionRequest__Output } from './marchproxy/PromoteVersionRequest.js';
import type { PromoteVersionResponse as _marchproxy_PromoteVersionResponse, PromoteVersionResponse__Output as _marchproxy_PromoteVersionResponse__Output } from './marchproxy/PromoteVersionResponse.js';
import type { Query as _marchproxy_Query, Query__Output as _marchproxy_Query__Output } from './marchproxy/Query.js';
import type { RateLimit as _marchproxy_RateLimit, RateLimit__Output as _marchproxy_RateLimit__Output } from './marchproxy/RateLimit.js';
import type { ReloadRequest as _marchproxy_ReloadRequest, ReloadRequest__Output as _marchproxy_ReloadRequest__Output } from './marchproxy/ReloadRequest.js';
import type { ReloadResponse as _marchproxy_ReloadResponse, ReloadResponse__Output as _marchproxy_ReloadResponse__Output } from './marchproxy/ReloadResponse.js';
import type { RemoveRateLimitRequest as _marchproxy_RemoveRateLimitRequest, RemoveRateLimitRequest__Output as _marchproxy_RemoveRateLimitRequest__Output } from './marchproxy/RemoveRateLimitRequest.js';
import type { RemoveRateLimitResponse as _marchproxy_RemoveRateLimitResponse, RemoveRateLimitResponse__Output as _marchproxy_RemoveRateLimitResponse__Output } from './marchproxy/RemoveRateLimitResponse.js';
import type { Response as _marchproxy_Response, Response__Output as _marchproxy_Response__Output } from './marchproxy/Response.js';
import type { RollbackRequest as _marchproxy_RollbackRequest, RollbackRequest__Output as _marchproxy_RollbackRequest__Output } from './marchproxy/RollbackRequest.js';
import type { RollbackResponse as _marchproxy_RollbackResponse, RollbackResponse__Output as _marchproxy_RollbackResponse__Output } from './marchproxy/RollbackResponse.js';
import type { Route as _marchproxy_Route, Route__Output as _marchproxy_Route__Output } from './marchproxy/Route.js';
import type { ScaleRequest as _marchproxy_ScaleRequest, ScaleRequest__Output as _marchproxy_ScaleRequest__Output } from './marchproxy/ScaleRequest.js';
import type { ScaleResponse as _marchproxy_ScaleResponse, ScaleResponse__Output as _marchproxy_ScaleResponse__Output } from './marchproxy/ScaleResponse.js';
import type { ScalingConfig as _marchproxy_ScalingConfig, ScalingConfig__Output as _marchproxy_ScalingConfig__Output } from './marchproxy/ScalingConfig.js';
import type { SetRateLimitRequest as _marchproxy_SetRateLimitRequest, SetRateLimitRequest__Output as _marchproxy_SetRateLimitRequest__Output } from './marchproxy/SetRateLimitRequest.js';
import type { SetRateLimitResponse as _marchproxy_SetRateLimitResponse, SetRateLimitResponse__Output as _marchproxy_SetRateLimitResponse__Output } from './marchproxy/SetRateLimitResponse.js';
import type { SetTrafficWeightRequest as _marchproxy_SetTrafficWeightRequest, SetTrafficWeightRequest__Output as _marchproxy_SetTrafficWeightRequest__Output } from './marchproxy/SetTrafficWeightRequest.js';
import type { SetTrafficWeightResponse as _marchproxy_SetTrafficWeightResponse, SetTrafficWeightResponse__Output as _marchproxy_SetTrafficWeightResponse__Output } from './marchproxy/SetTrafficWeightResponse.js';
import type { ShutdownRequest as _marchproxy_ShutdownRequest, ShutdownRequest__Output as _marchproxy_ShutdownRequest__Output } from './marchproxy/ShutdownRequest.js';
import type { ShutdownResponse as _marchproxy_ShutdownResponse, ShutdownResponse__Output as _marchproxy_ShutdownResponse__Output } from './marchproxy/ShutdownResponse.js';
import type { StreamMetricsRequest as _marchproxy_StreamMetricsRequest, StreamMetricsRequest__Output as _marchproxy_StreamMetricsRequest__Output } from './marchproxy/StreamMetricsRequest.js';
import type { StreamMetricsResponse as _marchproxy_StreamMetricsResponse, StreamMetricsResponse__Output as _marchproxy_StreamMetricsResponse__Output } from './marchproxy/StreamMetricsResponse.js';
import type { Timestamp as _marchproxy_Timestamp, Timestamp__Output as _marchproxy_Timestamp__Output } from './marchproxy/Timestamp.js';
import type { UpdateConfigRequest as _marchproxy_UpdateConfigRequest, UpdateConfigRequest__Output as _marchproxy_UpdateConfigRequest__Output } from './marchproxy/UpdateConfigRequest.js';
import type { UpdateConfigResponse as _marchproxy_UpdateConfigResponse, UpdateConfigResponse__Output as _marchproxy_UpdateConfigResponse__Output } from './marchproxy/UpdateConfigResponse.js';
import type { UpdateRoutesRequest as _marchproxy_UpdateRoutesRequest, UpdateRoutesRequest__Output as _marchproxy_UpdateRoutesRequest__Output } from './marchproxy/UpdateRoutesRequest.js';
import type { UpdateRoutesResponse as _marchproxy_UpdateRoutesResponse, UpdateRoutesResponse__Output as _marchproxy_UpdateRoutesResponse__Output } from './marchproxy/UpdateRoutesResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  marchproxy: {
    BlueGreenConfig: MessageTypeDefinition<_marchproxy_BlueGreenConfig, _marchproxy_BlueGreenConfig__Output>
    CanHandleRequest: MessageTypeDefinition<_marchproxy_CanHandleRequest, _marchproxy_CanHandleRequest__Output>
    CanHandleResponse: MessageTypeDefinition<_marchproxy_CanHandleResponse, _marchproxy_CanHandleResponse__Output>
    ConfigUpdate: MessageTypeDefinition<_marchproxy_ConfigUpdate, _marchproxy_ConfigUpdate__Output>
    DeleteRouteRequest: MessageTypeDefinition<_marchproxy_DeleteRouteRequest, _marchproxy_DeleteRouteRequest__Output>
    DeleteRouteResponse: MessageTypeDefinition<_marchproxy_DeleteRouteResponse, _marchproxy_DeleteRouteResponse__Output>
    Error: MessageTypeDefinition<_marchproxy_Error, _marchproxy_Error__Output>
    Filter: MessageTypeDefinition<_marchproxy_Filter, _marchproxy_Filter__Output>
    GetActiveVersionRequest: MessageTypeDefinition<_marchproxy_GetActiveVersionRequest, _marchproxy_GetActiveVersionRequest__Output>
    GetActiveVersionResponse: MessageTypeDefinition<_marchproxy_GetActiveVersionResponse, _marchproxy_GetActiveVersionResponse__Output>
    GetConfigRequest: MessageTypeDefinition<_marchproxy_GetConfigRequest, _marchproxy_GetConfigRequest__Output>
    GetConfigResponse: MessageTypeDefinition<_marchproxy_GetConfigResponse, _marchproxy_GetConfigResponse__Output>
    GetInstancesRequest: MessageTypeDefinition<_marchproxy_GetInstancesRequest, _marchproxy_GetInstancesRequest__Output>
    GetInstancesResponse: MessageTypeDefinition<_marchproxy_GetInstancesResponse, _marchproxy_GetInstancesResponse__Output>
    GetMetricsRequest: MessageTypeDefinition<_marchproxy_GetMetricsRequest, _marchproxy_GetMetricsRequest__Output>
    GetMetricsResponse: MessageTypeDefinition<_marchproxy_GetMetricsResponse, _marchproxy_GetMetricsResponse__Output>
    GetRateLimitsRequest: MessageTypeDefinition<_marchproxy_GetRateLimitsRequest, _marchproxy_GetRateLimitsRequest__Output>
    GetRateLimitsResponse: MessageTypeDefinition<_marchproxy_GetRateLimitsResponse, _marchproxy_GetRateLimitsResponse__Output>
    GetRoutesRequest: MessageTypeDefinition<_marchproxy_GetRoutesRequest, _marchproxy_GetRoutesRequest__Output>
    GetRoutesResponse: MessageTypeDefinition<_marchproxy_GetRoutesResponse, _marchproxy_GetRoutesResponse__Output>
    GetStatsRequest: MessageTypeDefinition<_marchproxy_GetStatsRequest, _marchproxy_GetStatsRequest__Output>
    GetStatsResponse: MessageTypeDefinition<_marchproxy_GetStatsResponse, _marchproxy_GetStatsResponse__Output>
    GetStatusRequest: MessageTypeDefinition<_marchproxy_GetStatusRequest, _marchproxy_GetStatusRequest__Output>
    GetStatusResponse: MessageTypeDefinition<_marchproxy_GetStatusResponse, _marchproxy_GetStatusResponse__Output>
    HealthCheckConfig: MessageTypeDefinition<_marchproxy_HealthCheckConfig, _marchproxy_HealthCheckConfig__Output>
    HealthCheckRequest: MessageTypeDefinition<_marchproxy_HealthCheckRequest, _marchproxy_HealthCheckRequest__Output>
    HealthCheckResponse: MessageTypeDefinition<_marchproxy_HealthCheckResponse, _marchproxy_HealthCheckResponse__Output>
    HealthStatus: EnumTypeDefinition
    MetricDataPoint: MessageTypeDefinition<_marchproxy_MetricDataPoint, _marchproxy_MetricDataPoint__Output>
    ModuleInstance: MessageTypeDefinition<_marchproxy_ModuleInstance, _marchproxy_ModuleInstance__Output>
    ModuleMetrics: MessageTypeDefinition<_marchproxy_ModuleMetrics, _marchproxy_ModuleMetrics__Output>
    /**
     * Control plane of one module kind (AILB here), called by the MarchProxy NLB.
     */
    ModuleService: SubtypeConstructor<typeof grpc.Client, _marchproxy_ModuleServiceClient> & { service: _marchproxy_ModuleServiceDefinition }
    ModuleStats: MessageTypeDefinition<_marchproxy_ModuleStats, _marchproxy_ModuleStats__Output>
    ModuleType: EnumTypeDefinition
    Pagination: MessageTypeDefinition<_marchproxy_Pagination, _marchproxy_Pagination__Output>
    PromoteVersionRequest: MessageTypeDefinition<_marchproxy_PromoteVersionRequest, _marchproxy_PromoteVersionRequest__Output>
    PromoteVersionResponse: MessageTypeDefinition<_marchproxy_PromoteVersionResponse, _marchproxy_PromoteVersionResponse__Output>
    Protocol: EnumTypeDefinition
    Query: MessageTypeDefinition<_marchproxy_Query, _marchproxy_Query__Output>
    RateLimit: MessageTypeDefinition<_marchproxy_RateLimit, _marchproxy_RateLimit__Output>
    ReloadRequest: MessageTypeDefinition<_marchproxy_ReloadRequest, _marchproxy_ReloadRequest__Output>
    ReloadResponse: MessageTypeDefinition<_marchproxy_ReloadResponse, _marchproxy_ReloadResponse__Output>
    RemoveRateLimitRequest: MessageTypeDefinition<_marchproxy_RemoveRateLimitRequest, _marchproxy_RemoveRateLimitRequest__Output>
    RemoveRateLimitResponse: MessageTypeDefinition<_marchproxy_RemoveRateLimitResponse, _marchproxy_RemoveRateLimitResponse__Output>
    Response: MessageTypeDefinition<_marchproxy_Response, _marchproxy_Response__Output>
    RollbackRequest: MessageTypeDefinition<_marchproxy_RollbackRequest, _marchproxy_RollbackRequest__Output>
    RollbackResponse: MessageTypeDefinition<_marchproxy_RollbackResponse, _marchproxy_RollbackResponse__Output>
    Route: MessageTypeDefinition<_marchproxy_Route, _marchproxy_Route__Output>
    ScaleRequest: MessageTypeDefinition<_marchproxy_ScaleRequest, _marchproxy_ScaleRequest__Output>
    ScaleResponse: MessageTypeDefinition<_marchproxy_ScaleResponse, _marchproxy_ScaleResponse__Output>
    ScalingConfig: MessageTypeDefinition<_marchproxy_ScalingConfig, _marchproxy_ScalingConfig__Output>
    SetRateLimitRequest: MessageTypeDefinition<_marchproxy_SetRateLimitRequest, _marchproxy_SetRateLimitRequest__Output>
    SetRateLimitResponse: MessageTypeDefinition<_marchproxy_SetRateLimitResponse, _marchproxy_SetRateLimitResponse__Output>
    SetTrafficWeightRequest: MessageTypeDefinition<_marchproxy_SetTrafficWeightRequest, _marchproxy_SetTrafficWeightRequest__Output>
    SetTrafficWeightResponse: MessageTypeDefinition<_marchproxy_SetTrafficWeightResponse, _marchproxy_SetTrafficWeightResponse__Output>
    ShutdownRequest: MessageTypeDefinition<_marchproxy_ShutdownRequest, _marchproxy_ShutdownRequest__Output>
    ShutdownResponse: MessageTypeDefinition<_marchproxy_ShutdownResponse, _marchproxy_ShutdownResponse__Output>
    StatusCode: EnumTypeDefinition
    StreamMetricsRequest: MessageTypeDefinition<_marchproxy_StreamMetricsRequest, _marchproxy_StreamMetricsRequest__Output>
    StreamMetricsResponse: MessageTypeDefinition<_marchproxy_StreamMetricsResponse, _marchproxy_StreamMetricsResponse__Output>
    Timestamp: MessageTypeDefinition<_marchproxy_Timestamp, _marchproxy_Timestamp__Output>
    UpdateConfigRequest: MessageTypeDefinition<_marchproxy_UpdateConfigRequest, _marchproxy_UpdateConfigRequest__Output>
    UpdateConfigResponse: MessageTypeDefinition<_marchproxy_UpdateConfigResponse, _marchproxy_UpdateConfigResponse__Output>
    UpdateRoutesRequest: MessageTypeDefinition<_marchproxy_UpdateRoutesRequest, _marchproxy_UpdateRoutesRequest__Output>
    UpdateRoutesResponse: MessageTypeDefinition<_marchproxy_UpdateRoutesResponse, _marchproxy_UpdateRoutesResponse__Output>
  }
}

