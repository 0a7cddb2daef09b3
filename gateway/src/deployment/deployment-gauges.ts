import { metricNames, type BlueGreenState, type ScalingSettings, type ScalingState } from '@ailb/shared';
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

/**
 * The deployment state on `/metrics`, identical on every gateway (each reads the shared state): the
 * blue/green weight per version, and once `Scale` was called, the desired gateway count and the
 * scaling settings for an autoscaler (KEDA's Prometheus scaler, an HPA on external metrics). The
 * scaling gauges appear only after the first `Scale`: a desired count of 0 that nobody asked for
 * would scale the deployment away.
 */
export class DeploymentGauges {
  private scalingRegistered = false;

  constructor(
    private readonly registry: Registry,
    private readonly read: () => { blueGreen: BlueGreenState; scaling: ScalingState | null },
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
    new Gauge({
      name: metricNames.desiredInstances.name,
      help: metricNames.desiredInstances.help,
      registers: [this.registry],
      collect() {
        this.set(scalingOf()?.desiredInstances ?? 0);
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
}
