export { WorkerRuntime, type WorkerRuntimeOptions } from './worker-runtime.js';
export { createProviders } from './providers/provider-registry.js';
export { admitJob, createJobContext, RecentCancellations, type AdmittedJob } from './queue/job-context.js';
export { BullmqJobConsumer } from './queue/bullmq-job-consumer.js';
export { RedisClusterStateWriter } from './state/redis-cluster-state-writer.js';
export { startRedisWorker, type RedisWorker } from './redis-worker.js';
export { runService, type RunningService } from './lifecycle/run-service.js';
