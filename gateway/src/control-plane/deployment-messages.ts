import { timestampFromDate, type BlueGreenConfig, type HealthStatus__Output, type ModuleInstance, type ScalingConfig__Output } from '@ailb/proto';
import { BlueGreenRefusal, versionWeight, type BlueGreenState, type InstanceHealth, type LiveInstance, type ScalingSettings } from '@ailb/shared';
import { status } from '@grpc/grpc-js';
import type { FastifyInstance } from 'fastify';
import { notFound, RpcFailure } from './rpc.js';

/*
 * Mapping between the deployment state and MarchProxy's messages, shared by the fleet and blue/green
 * RPC groups.
 */

const HEALTH: Record<InstanceHealth, HealthStatus__Output> = {
  healthy: 'HEALTH_STATUS_HEALTHY',
  degraded: 'HEALTH_STATUS_DEGRADED',
  unhealthy: 'HEALTH_STATUS_UNHEALTHY',
  starting: 'HEALTH_STATUS_STARTING',
  stopping: 'HEALTH_STATUS_STOPPING',
};

/** An instance's health as the ModuleService's HealthStatus. */
export function healthStatus(health: InstanceHealth): HealthStatus__Output {
  return HEALTH[health];
}

/**
 * The weight an instance of `version` reports in `traffic_weight`: the table's weight, or 100 when
 * the table does not list the version (it serves; so does every version without blue/green).
 */
export function reportedWeight(state: BlueGreenState, version: string): number {
  return versionWeight(state, version) ?? 100;
}

/** A live instance as a `ModuleInstance`. A worker's `max_connections` is its concurrency (jobs at once). */
export function moduleInstance(instance: LiveInstance, state: BlueGreenState): ModuleInstance {
  const metadata = { ...instance.metadata, role: instance.kind, last_heartbeat: new Date(instance.lastSeen).toISOString() };
  const concurrency = Number(instance.metadata?.concurrency ?? 0);
  return {
    instance_id: instance.id,
    module_type: 'MODULE_TYPE_AILB',
    address: instance.address,
    health_status: healthStatus(instance.health),
    metadata,
    started_at: instance.startedAt > 0 ? timestampFromDate(new Date(instance.startedAt)) : null,
    current_connections: instance.connections,
    max_connections: Number.isFinite(concurrency) ? concurrency : 0,
    version: instance.version,
    traffic_weight: reportedWeight(state, instance.version),
  };
}

/**
 * The blue/green state as MarchProxy's `BlueGreenConfig`: blue is the active version, green the
 * version being promoted (or else the listed version with the highest weight besides the active one).
 */
export function blueGreenConfig(state: BlueGreenState): BlueGreenConfig {
  const blue = state.active;
  const others = Object.entries(state.weights)
    .filter(([version]) => version !== blue)
    .sort(([a, weightA], [b, weightB]) => weightB - weightA || (a < b ? -1 : 1));
  const green = state.canary?.version ?? others[0]?.[0] ?? '';
  return {
    blue_version: blue,
    green_version: green,
    blue_weight: state.weights[blue] ?? 0,
    green_weight: state.weights[green] ?? 0,
    active_version: state.active,
    canary_enabled: state.canary !== null,
    canary_percent: state.canary ? (state.weights[state.canary.version] ?? 0) : 0,
    deployment_started: state.startedAt > 0 ? timestampFromDate(new Date(state.startedAt)) : null,
  };
}

/** A `ScalingConfig` message in our names (validated separately). */
export function scalingSettings(config: ScalingConfig__Output): ScalingSettings {
  return {
    minInstances: config.min_instances,
    maxInstances: config.max_instances,
    targetCpuPercent: config.target_cpu_percent,
    targetMemoryPercent: config.target_memory_percent,
    targetConnections: config.target_connections,
    scaleUpThreshold: config.scale_up_threshold,
    scaleDownThreshold: config.scale_down_threshold,
    cooldownSeconds: config.cooldown_seconds,
    autoScalingEnabled: config.auto_scaling_enabled,
  };
}

/** A refused blue/green change as its gRPC status (the field named for INVALID_ARGUMENT). */
export function rpcFailureOf(error: unknown): unknown {
  if (!(error instanceof BlueGreenRefusal)) return error;
  const code = error.kind === 'invalid_argument' ? status.INVALID_ARGUMENT : error.kind === 'not_found' ? status.NOT_FOUND : status.FAILED_PRECONDITION;
  return new RpcFailure(code, error.message, error.field);
}

/** Instance-local RPCs: `instance_id` empty or this gateway's id; any other id is NOT_FOUND. */
export function checkThisInstance(app: FastifyInstance, instanceId: string): void {
  if (instanceId !== '' && instanceId !== app.instanceId) {
    throw notFound(`instance_id: no instance "${instanceId}" here; this gateway is "${app.instanceId}" (instance-local RPCs answer for the gateway called)`);
  }
}
