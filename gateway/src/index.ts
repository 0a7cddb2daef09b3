/*
 * @ailb/gateway: the stateless HTTP edge. Entry point `main.ts` (split mode); the embedded default
 * composes `startGateway` with the in-process transport.
 */
export { buildApp, type AppDependencies } from './app.js';
export { startGateway, startRedisGateway, type GatewayOptions, type GatewayTransport, type RunningGateway } from './start-gateway.js';
export { KnowledgeClient, type KnowledgeClientOptions } from './knowledge/knowledge-client.js';
