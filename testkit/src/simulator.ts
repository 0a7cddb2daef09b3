/*
 * `@ailb/testkit/simulator`: the simulated provider alone, without the test helpers (child processes,
 * Redis keys) — what the embedded default imports to serve its demo model.
 */
export { startSimulatedProvider, DEFAULT_SIMULATED_MODELS } from './simulated-provider.js';
export type { SimulatedProvider, SimulatedProviderOptions } from './simulated-provider-types.js';
