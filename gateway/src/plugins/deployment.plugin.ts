import { versionServes, type AppConfig, type DeploymentStore, type GatewayState } from '@ailb/shared';
import fp from 'fastify-plugin';
import { DeploymentGauges } from '../deployment/deployment-gauges.js';
import { DeploymentView } from '../deployment/deployment-view.js';
import { FleetHealth } from '../deployment/fleet-health.js';
import { InstanceAnnouncer } from '../deployment/instance-announcer.js';
import { LaneReclaimer } from '../deployment/lane-reclaimer.js';
import { VersionLanes } from '../deployment/version-lanes.js';

/** What the deployment plugin gives the rest of the gateway (the ModuleService's deployment RPCs read it). */
export interface GatewayDeployment {
  /** This gateway's `VERSION`. */
  version: string;
  /** Time between two steps of a gradual promotion this gateway starts. */
  promotionStepMs: number;
  /** The shared blue/green and scaling state; writers publish the `deployment` topic after a write. */
  store: DeploymentStore;
  /** The cached copy every gateway reads (refreshed on each `deployment` notification). */
  view: DeploymentView;
  /** Routes chat jobs to worker versions by weight. */
  lanes: VersionLanes;
  /** This gateway's health for GetStatus, HealthCheck and its heartbeat. */
  health: FleetHealth;
  /** This gateway's heartbeat in the instance registry. */
  announcer: InstanceAnnouncer;
  /** The registry of live instances (GetInstances, Scale). */
  registry: Pick<GatewayState, 'liveInstances' | 'liveCount'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deployment: GatewayDeployment;
  }
}

export interface DeploymentPluginOptions {
  config: AppConfig;
  state: GatewayState;
  store: DeploymentStore;
  /** Heartbeat period of this gateway. @defaultValue 2000 */
  heartbeatMs?: number;
}

/**
 * Fleet management on this gateway: the instance heartbeat, the cached blue/green state with its two
 * effects — weight 0 for this gateway's version makes readiness (/readyz, gRPC health) not-serving;
 * chat jobs go to worker versions by weight — the promotion steps, and the deployment gauges.
 */
export const deploymentPlugin = fp<DeploymentPluginOptions>(
  async (app, { config, state, store, heartbeatMs }) => {
    const { version, promotionStepMs } = config.deployment;
    const view = new DeploymentView({ store, changes: app.controlChanges, logger: app.log });
    const reclaimer = new LaneReclaimer({ producer: app.dispatcher.producer, logger: app.log });
    const lanes = new VersionLanes({ state, logger: app.log, reclaimer });
    const gauges = new DeploymentGauges(app.metrics.registry, () => ({ blueGreen: view.blueGreen, scaling: view.scaling }), state, app.log);
    const health = new FleetHealth({
      producer: app.dispatcher.producer,
      workers: app.dispatcher.workers,
      state,
      catalog: app.catalog,
      circuit: config.routing.circuit,
      view,
      version,
      needsEmbedder: config.knowledge.memory.enabled || config.knowledge.rag.enabled,
      draining: () => app.draining,
      startedAt: Date.now(),
    });
    const announcer = new InstanceAnnouncer({ app, state, logger: app.log, version, health: async () => (await health.evaluate(false)).status, ...(heartbeatMs === undefined ? {} : { heartbeatMs }) });

    view.onChange((blueGreen) => {
      lanes.update(blueGreen);
      gauges.update();
      app.readiness.changed();
    });
    await view.start();
    app.dispatcher.useLanes(lanes.pick);
    app.readiness.addCondition('traffic_weight', () =>
      versionServes(view.blueGreen, version) ? { ready: true, facts: { version } } : { ready: false, reason: `version ${version} has blue/green traffic weight 0: not serving` },
    );
    app.decorate('deployment', { version, promotionStepMs, store, view, lanes, health, announcer, registry: state });

    app.addHook('onReady', async () => announcer.start());
    app.addHook('preClose', async () => announcer.stop());
    app.addHook('onClose', async () => {
      view.close();
      lanes.close();
      reclaimer.close();
      // A sweep under way finishes before the producer it uses is closed.
      await reclaimer.idle();
      await announcer.close();
    });
  },
  { name: 'ailb-deployment', dependencies: ['ailb-control-changes', 'ailb-metrics', 'ailb-routing', 'ailb-dispatch', 'ailb-readiness'] },
);
