export { buildApp, type AppDependencies } from './app.js';
export { startServer, DEMO_MODEL, type RunningServer, type Role } from './server.js';
export { BullmqJobProducer } from './queue/bullmq-job-producer.js';
export { RedisClusterStateReader } from './state/redis-cluster-state-reader.js';
export { InProcessTransport } from './embedded/in-process-transport.js';
export { InMemoryClusterState } from './embedded/in-memory-cluster-state.js';
