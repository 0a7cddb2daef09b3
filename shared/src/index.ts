/*
 * @ailb/shared: the contracts every AILB service agrees on. Machinery that implements some of them the
 * same way for every service (config loading, transports, state stores, process lifecycle) is in
 * `@ailb/shared/runtime`.
 */
export * from './contracts/spec/usage.js';
export * from './contracts/spec/finish-reason.js';
export * from './contracts/spec/provider-options.js';
export * from './contracts/spec/warning.js';
export * from './contracts/spec/prompt.js';
export * from './contracts/spec/chat-call.js';
export * from './contracts/spec/chat-result.js';
export * from './contracts/spec/stream-part.js';
export * from './contracts/spec/chat-provider.js';
export * from './contracts/errors/error-catalog.js';
export * from './contracts/errors/gateway-error.js';
export * from './contracts/errors/upstream-error.js';
export * from './contracts/errors/redact.js';
export * from './contracts/queue/chat-job.js';
export * from './contracts/queue/chat-reply.js';
export * from './contracts/queue/queue-contract.js';
export * from './contracts/queue/queue-contracts.js';
export * from './contracts/queue/chat-job-v1.js';
export * from './contracts/queue/knowledge-jobs.js';
export * from './contracts/knowledge/knowledge-records.js';
export * from './contracts/knowledge/attribute-filter.js';
export * from './contracts/knowledge/knowledge-operations.js';
export * from './contracts/knowledge/knowledge-results.js';
export * from './contracts/knowledge/memory.js';
export * from './contracts/knowledge/context-retrieval.js';
export * from './contracts/queue/transport.js';
export * from './contracts/queue/names.js';
export * from './contracts/cluster-state/cluster-state.js';
export * from './contracts/cluster-state/circuit.js';
export * from './contracts/cluster-state/target-health.js';
export * from './contracts/cluster-state/request-trace.js';
export * from './contracts/config/config.schema.js';
export * from './contracts/config/env.schema.js';
export * from './contracts/config/route-rules.js';
export * from './contracts/config/knowledge-config.schema.js';
export * from './contracts/config/rate-limits-config.schema.js';
export * from './contracts/observability/metric-names.js';
export * from './contracts/scanning/scan-policy.js';
export * from './contracts/control-plane/control-changes.js';
export * from './contracts/control-plane/blue-green.js';
export * from './contracts/control-plane/scaling.js';
export * from './contracts/control-plane/deployment-store.js';
export * from './contracts/control-plane/rate-limits.js';
export * from './contracts/control-plane/rate-limit-store.js';
export * from './contracts/control-plane/token-bucket.js';
export * from './contracts/control-plane/control-documents.js';
export * from './contracts/control-plane/route-overrides.js';
export * from './contracts/governance/api-keys.js';
export * from './contracts/governance/key-store.js';
export * from './contracts/governance/config-keys.js';
export * from './contracts/governance/ledger.js';
export * from './contracts/governance/tenants.js';
