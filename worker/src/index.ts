/*
 * @ailb/worker: executes routing plans against providers. Entry point `main.ts` (split mode); the
 * embedded default composes `WorkerRuntime` with the in-process transport.
 */
export { WorkerRuntime, type WorkerRuntimeOptions } from './worker-runtime.js';
export { createProviders } from './providers/provider-registry.js';
export { startRedisWorker, type RedisWorker } from './redis-worker.js';
export { configuredTargets, WorkerMetrics, type WorkerMetricsOptions } from './observability/worker-metrics.js';
