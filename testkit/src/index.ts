/*
 * @ailb/testkit: the simulated LLM provider used by tests, the benchmark and the offline demo.
 */
export { startSimulatedProvider, DEFAULT_SIMULATED_MODELS } from './simulated-provider.js';
export type {
  SimulatedApi,
  SimulatedProvider,
  SimulatedProviderOptions,
  SimulatedRequestRecord,
} from './simulated-provider-types.js';
export { FAULT_NAMES, isFaultName } from './faults.js';
export type { FaultName, FaultOptions, ScriptedFault } from './faults.js';
export { parseDirective } from './directives.js';
export type { PrefillBehaviour } from './chat-flow.js';
export type { Directive } from './directives.js';
export { DEFAULT_EMBEDDING_DIMENSIONS, embedText } from './embedding-vector.js';
// Helpers for cross-service tests and the benchmark (child processes, per-test Redis key prefixes).
export * from './processes.js';
export * from './redis-keys.js';
export { ReplayServer, jsonReply, streamReply, hangingReply, type Reply, type ReplayRequest } from './replay-server.js';
export { SplitDeployment } from './split-deployment.js';
// grpc-js status codes and channel states, so tests of any package can name them.
export { status as grpcStatus, connectivityState } from '@grpc/grpc-js';
export { eventually, type EventuallyOptions } from './eventually.js';
export {
  createModuleServiceClient,
  rpcFailure,
  type ModuleServiceCallOptions,
  type ModuleServiceClientOptions,
  type ModuleServiceTestClient,
  type ModuleServiceUnaryMethods,
  type ModuleServiceUnaryTypes,
} from './module-service-client.js';
