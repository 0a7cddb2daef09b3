/*
 * @ailb/shared/runtime: the few implementations every service needs the same way. Contracts they
 * implement are in `@ailb/shared`.
 */
export * from './config/load-config.js';
export * from './config/knowledge-config.js';
export * from './lifecycle/run-service.js';
export * from './queue/job-admission.js';
export * from './queue/bullmq-job-producer.js';
export * from './queue/bullmq-job-consumer.js';
export * from './queue/bullmq-queue-stats.js';
export * from './queue/in-process-transport.js';
export * from './cluster-state/redis-cluster-state.js';
export * from './cluster-state/in-memory-cluster-state.js';
export * from './traces/redis-trace-store.js';
export * from './traces/in-memory-trace-store.js';
export * from './control-plane/in-memory-control-changes.js';
export * from './control-plane/redis-control-changes.js';
export * from './control-plane/in-memory-deployment-store.js';
export * from './control-plane/redis-deployment-store.js';
export * from './control-plane/redis-rate-limit-store.js';
export * from './control-plane/in-memory-rate-limit-store.js';
export * from './control-plane/in-memory-control-documents.js';
export * from './control-plane/redis-control-documents.js';
export * from './config/config-source.js';
export * from './governance/in-memory-key-store.js';
export * from './governance/redis-key-store.js';
export * from './governance/in-memory-ledger-store.js';
export * from './governance/redis-ledger-store.js';
export * from './config/config-document.js';
export * from './observability/ops-http.js';
