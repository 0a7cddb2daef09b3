import { timestampFromDate, type ModuleInstance } from '@ailb/proto';
import { desiredInstances, scalingProblem, SERVICE_KINDS, type InstanceHealth, type LiveInstance } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import { checkThisInstance, healthStatus, moduleInstance, reportedWeight, scalingSettings } from './deployment-messages.js';
import { followsLoad } from '../deployment/deployment-gauges.js';
import { checkClusterWideInstance } from './instance-scope.js';
import { invalidArgument, type RpcGroupFactory } from './rpc.js';

/*
 * GetStatus and HealthCheck (this gateway, instance-local), GetInstances and Scale (the fleet,
 * cluster-wide): from the instance registry every gateway, worker and embedder heartbeats into, and
 * from this gateway's real state (see FleetHealth for the rules).
 */

/** This gateway as a `ModuleInstance`, from what it knows first-hand. */
async function thisGateway(app: FastifyInstance, health: InstanceHealth): Promise<ModuleInstance> {
  const { announcer, view, version, lanes } = app.deployment;
  const rotation = lanes.rotation.map((entry) => `${entry.version}=${entry.weight}`).join(',');
  const http = announcer.httpAddress();
  return {
    instance_id: app.instanceId,
    module_type: 'MODULE_TYPE_AILB',
    address: http,
    health_status: healthStatus(health),
    metadata: {
      role: 'gateway',
      http_url: http === '' ? '' : `http://${http}`,
      grpc_address: announcer.grpc,
      blue_green: Object.keys(view.blueGreen.weights).length > 0 ? 'configured' : 'off',
      // Where this gateway's chat jobs go: worker versions and weights, or the plain queue.
      worker_lanes: rotation === '' ? 'plain queue' : rotation,
    },
    started_at: timestampFromDate(new Date(announcer.startedAt)),
    current_connections: await announcer.connections(),
    // AILB sets no connection limit of its own.
    max_connections: 0,
    version,
    traffic_weight: reportedWeight(view.blueGreen, version),
  };
}

/** The fleet and health methods of the ModuleService. */
export const fleetRpcs: RpcGroupFactory = (app) => ({
  async GetStatus(request) {
    checkThisInstance(app, request.instance_id);
    const report = await app.deployment.health.evaluate(true);
    return {
      instance: await thisGateway(app, report.status),
      status: healthStatus(report.status),
      message: report.message,
      last_updated: timestampFromDate(new Date()),
      details: report.checks,
    };
  },

  async HealthCheck(request) {
    checkThisInstance(app, request.instance_id);
    const report = await app.deployment.health.evaluate(request.deep_check);
    return { status: healthStatus(report.status), message: report.message, checks: report.checks, checked_at: timestampFromDate(new Date()) };
  },

  async GetInstances(request) {
    // Every AILB instance is of module type AILB; asking for another type finds none here.
    if (request.module_type !== 'MODULE_TYPE_UNSPECIFIED' && request.module_type !== 'MODULE_TYPE_AILB') return { instances: [], total_instances: 0 };
    const live: LiveInstance[] = [];
    for (const kind of SERVICE_KINDS) live.push(...(await app.deployment.registry.liveInstances(kind)));
    const state = app.deployment.view.blueGreen;
    // Stopped instances have left the registry, so STOPPED matches none.
    const instances = live.map((instance) => moduleInstance(instance, state)).filter((instance) => request.status_filter === 'HEALTH_STATUS_UNSPECIFIED' || instance.health_status === request.status_filter);
    return { instances, total_instances: instances.length };
  },

  async Scale(request) {
    await checkClusterWideInstance(app, request.instance_id);
    if (request.config === null) throw invalidArgument('config', 'required: the ScalingConfig to apply');
    const settings = scalingSettings(request.config);
    const problem = scalingProblem(settings);
    if (problem) throw invalidArgument(problem.field, problem.message);
    const gateways = await app.deployment.registry.liveInstances('gateway');
    const connections = gateways.reduce((sum, gateway) => sum + gateway.connections, 0);
    const desired = desiredInstances(settings, { gateways: gateways.length, connections });
    await app.deployment.store.setScaling({ settings, desiredInstances: desired, updatedAt: Date.now() });
    await app.controlChanges.publish('deployment');
    await app.deployment.view.refresh();
    const basis = followsLoad(settings) ? `${connections} open connections / ${settings.targetConnections} per gateway` : `${gateways.length} gateways running`;
    return {
      success: true,
      message:
        `Stored: ${desired} gateway instance(s) desired now (${basis}, kept within ${settings.minInstances}-${settings.maxInstances})` +
        (followsLoad(settings) ? '; it follows load: every gateway recomputes it from the open connections at each scrape of /metrics. ' : '. ') +
        'AILB does not start or stop processes itself: an autoscaler (KEDA, HPA) reading ailb_desired_instances and ailb_scaling_* on every gateway\'s /metrics, or the orchestrator, applies it' +
        (request.immediate ? '; `immediate` changes nothing here, the target is published at once either way.' : '.'),
      current_instances: gateways.length,
      desired_instances: desired,
      error: null,
    };
  },
});
