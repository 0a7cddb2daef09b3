import type { AppConfig } from '@ailb/shared';
import { deletePrefix, randomPrefix, REDIS_URL, startSimulatedProvider, type SimulatedProvider, type SimulatedProviderOptions } from '@ailb/testkit';
import OpenAI from 'openai';
import { pino } from 'pino';
import { startRedisWorker } from '@ailb/worker';
import { startStandalone, type RunningStandalone } from '../../src/start-standalone.js';
import { simulatedProviders, testConfig } from './test-config.js';

export type Driver = 'in-process' | 'bullmq';

export interface GatewayUnderTest {
  server: RunningStandalone;
  simulator: SimulatedProvider;
  client: OpenAI;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A whole AILB (gateway + worker in this process) on a loopback port, over the chosen queue driver,
 * in front of a fresh simulated provider. With `bullmq` it uses the real Redis under a random prefix,
 * deleted again on close, and `extraWorkers` more worker runtimes share the queue. `simulator` sets
 * the simulated provider's options (its models, what they do with a prefill).
 */
export async function startGatewayUnderTest(driver: Driver, overrides: Partial<AppConfig> = {}, options: { extraWorkers?: number; simulator?: SimulatedProviderOptions } = {}): Promise<GatewayUnderTest> {
  const simulator = await startSimulatedProvider(options.simulator);
  const prefix = randomPrefix();
  const config = testConfig({
    providers: simulatedProviders(simulator.url),
    redis: { url: driver === 'bullmq' ? REDIS_URL : null, prefix },
    ...overrides,
  });
  const logger = pino({ level: 'silent' });
  const server = await startStandalone(config, logger);
  // More workers on the same Redis, so jobs spread over several consumers as in a deployment.
  const extraWorkers = driver === 'bullmq' ? await Promise.all(Array.from({ length: options.extraWorkers ?? 0 }, () => startRedisWorker(config, logger))) : [];
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  return {
    server,
    simulator,
    client,
    prefix,
    async close() {
      await Promise.all(extraWorkers.map((worker) => worker.close()));
      await server.close();
      await simulator.close();
      if (driver === 'bullmq') await deletePrefix(prefix);
    },
  };
}
