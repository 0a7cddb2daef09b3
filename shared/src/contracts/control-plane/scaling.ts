/*
 * Scaling: AILB does not start or stop processes. `Scale` stores the operator's scaling configuration
 * and a desired gateway count cluster-wide; every gateway exposes both as gauges that an autoscaler
 * (KEDA, HPA) or the NLB acts on.
 */

/** The ModuleService's `ScalingConfig`, in our names. */
export interface ScalingSettings {
  minInstances: number;
  maxInstances: number;
  /** 0: not set. */
  targetCpuPercent: number;
  /** 0: not set. */
  targetMemoryPercent: number;
  /** Open client connections per gateway to aim for; 0: not set. */
  targetConnections: number;
  /** Utilisation percent above which an autoscaler should add instances; 0: not set. */
  scaleUpThreshold: number;
  /** Utilisation percent below which an autoscaler may remove instances; 0: not set. */
  scaleDownThreshold: number;
  cooldownSeconds: number;
  autoScalingEnabled: boolean;
}

/** What `Scale` stored. */
export interface ScalingState {
  settings: ScalingSettings;
  /** Gateways the deployment should run. */
  desiredInstances: number;
  /** When it was stored (epoch ms). */
  updatedAt: number;
}

/** Upper bound on instance counts: beyond it a number is a typo, not a plan. */
export const MAX_SCALING_INSTANCES = 10_000;

/** The first problem of a scaling configuration, with the request field it is about; undefined when valid. */
export function scalingProblem(settings: ScalingSettings): { field: string; message: string } | undefined {
  const count = (field: keyof ScalingSettings, name: string, min: number, max: number) => {
    const value = settings[field] as number;
    if (!Number.isInteger(value) || value < min || value > max) return { field: `config.${name}`, message: `must be an integer from ${min} to ${max}, got ${value}` };
    return undefined;
  };
  const problem =
    count('minInstances', 'min_instances', 0, MAX_SCALING_INSTANCES) ??
    count('maxInstances', 'max_instances', 1, MAX_SCALING_INSTANCES) ??
    count('targetCpuPercent', 'target_cpu_percent', 0, 100) ??
    count('targetMemoryPercent', 'target_memory_percent', 0, 100) ??
    count('targetConnections', 'target_connections', 0, 1_000_000) ??
    count('scaleUpThreshold', 'scale_up_threshold', 0, 100) ??
    count('scaleDownThreshold', 'scale_down_threshold', 0, 100) ??
    count('cooldownSeconds', 'cooldown_seconds', 0, 86_400);
  if (problem) return problem;
  if (settings.minInstances > settings.maxInstances) {
    return { field: 'config.min_instances', message: `must not exceed max_instances (${settings.minInstances} > ${settings.maxInstances})` };
  }
  if (settings.scaleUpThreshold > 0 && settings.scaleDownThreshold > 0 && settings.scaleDownThreshold >= settings.scaleUpThreshold) {
    return { field: 'config.scale_down_threshold', message: `must be below scale_up_threshold (${settings.scaleDownThreshold} >= ${settings.scaleUpThreshold})` };
  }
  return undefined;
}

/**
 * The gateway count to aim for: with auto-scaling on and a connection target, enough gateways for the
 * connections open now (every gateway recomputes it at each scrape of `/metrics`, so it follows load);
 * otherwise the gateways running when `Scale` was called. Either way kept within min..max.
 */
export function desiredInstances(settings: ScalingSettings, live: { gateways: number; connections: number }): number {
  const wanted = settings.autoScalingEnabled && settings.targetConnections > 0 ? Math.ceil(live.connections / settings.targetConnections) : live.gateways;
  return Math.min(settings.maxInstances, Math.max(settings.minInstances, wanted));
}
