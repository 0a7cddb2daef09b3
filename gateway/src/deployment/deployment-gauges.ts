import { desiredInstances, metricNames, type BlueGreenState, type GatewayState, type ScalingSettings, type ScalingState } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { Gauge, type Registry } from 'prom-client';

/** Each scaling gauge and the setting it shows. */
const SCALING_GAUGES: ReadonlyArray<{ metric: { name: string; help: string }; value: (settings: ScalingSettings) => number }> = [
  { metric: metricNames.scalingMinInstances, value: (settings) => settings.minInstances },
  { metric: metricNames.scalingMaxInstances, value: (settings) => settings.maxInstances },
  { metric: metricNames.scalingTargetCpuPercent, value: (settings) => settings.targetCpuPercent },
  { metric: metricNames.scalingTargetMemoryPercent, value: (settings) => settings.targetMemoryPercent },
  { metric: metricNames.scalingTargetConnections, value: (settings) => settings.targetConnections },
  { metric: metricNames.scalingScaleUpThreshold, value: (settings) => settings.scaleUpThreshold },
  { metric: metricNames.scalingScaleDownThreshold, value: (settings) => settings.scaleDownThreshold },
  { metric: metricNames.scalingCooldownSeconds, value: (settings) => settings.cooldownSeconds },
  { metric: metricNames.scalingAutoEnabled, value: (settings) => (settings.autoScalingEnabled ? 1 : 0) },
];

/** Whether the desired count follows load (open connections), so it is recomputed at each scrape. */
export function followsLoad(settings: ScalingSettings): boolean {
  return settings.autoScalingEnabled && settings.targetConnections > 0;
}

/**
 * The deployment state on `/metrics`, identical on every gateway (each reads the shared state): the
 * blue/green weight per version, and once `Scale` was called, the desired gateway count and the
 * scaling settings for an autoscaler (KEDA's Prometheus scaler, an HPA on external metrics). The
 * scaling gauges appear only after the first `Scale`: a desired count of 0 that nobody asked for
 * would scale the deployment away.
 *
 * With auto-scaling on and a connection target, the desired count follows load: it is recomputed at
 * each scrape from the open connections the live gateways announced (one registry read per scrape,
 * nothing per request). Otherwise it is the count `Scale` stored.
 */
export class DeploymentGauges {
  private scalingRegistered = false;

  constructor(
    private readonly registry: Registry,
    private readonly read: () => { blueGreen: BlueGreenState; scaling: ScalingState | null },
    private readonly instances: Pick<GatewayState, 'liveInstances'>,
    private readonly logger: FastifyBaseLogger,
  ) {
    const weightsOf = () => this.read().blueGreen.weights;
    // Collected at scrape time from the cached state: nothing to keep in sync, no Redis read.
    new Gauge({
      name: metricNames.trafficWeight.name,
      help: metricNames.trafficWeight.help,
      labelNames: metricNames.trafficWeight.labels,
      registers: [registry],
      collect() {
        this.reset();
        for (const [version, weight] of Object.entries(weightsOf())) this.set({ version }, weight);
      },
    });
  }

  /** Registers the scaling gauges the first time there is a scaling state. */
  update(): void {
    if (this.scalingRegistered || this.read().scaling === null) return;
    this.scalingRegistered = true;
    const scalingOf = () => this.read().scaling;
    const desired = (scaling: ScalingState) => this.desired(scaling);
    new Gauge({
      name: metricNames.desiredInstances.name,
      help: metricNames.desiredInstances.help,
      registers: [this.registry],
      async collect() {
        const scaling = scalingOf();
        this.set(scaling ? await desired(scaling) : 0);
      },
    });
    for (const { metric, value } of SCALING_GAUGES) {
      new Gauge({
        name: metric.name,
        help: metric.help,
        registers: [this.registry],
        collect() {
          const scaling = scalingOf();
          if (scaling) this.set(value(scaling.settings));
        },
      });
    }
  }

  /** The desired gateway count now: recomputed from the live gateways' connections when it follows load; the stored one otherwise, or when the registry cannot be read. */
  private async desired(scaling: ScalingState): Promise<number> {
    if (!followsLoad(scaling.settings)) return scaling.desiredInstances;
    try {
      const gateways = await this.instances.liveInstances('gateway');
      const connections = gateways.reduce((sum, gateway) => sum + gateway.connections, 0);
      return desiredInstances(scaling.settings, { gateways: gateways.length, connections });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the live gateways; ailb_desired_instances shows the count stored by Scale');
      return scaling.desiredInstances;
    }
  }
}
