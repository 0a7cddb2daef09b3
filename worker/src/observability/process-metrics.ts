import { misnamedDefaultMetrics } from '@ailb/shared';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Process and Node.js runtime metrics (CPU, memory, event loop, GC), prefixed `ailb_`, in a registry of their own. */
export function processMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ailb_' });
  for (const name of misnamedDefaultMetrics) registry.removeSingleMetric(name);
  return registry;
}
