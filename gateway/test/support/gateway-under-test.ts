import type { AppConfig } from '@ailb/shared';
import { deletePrefix, randomPrefix, REDIS_URL, startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import OpenAI from 'openai';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../src/server.js';
import { simulatedProviders, testConfig } from './test-config.js';

export type Driver = 'in-process' | 'bullmq';

export interface GatewayUnderTest {
  server: RunningServer;
  simulator: SimulatedProvider;
  client: OpenAI;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A whole AILB (gateway + worker in this process) on a loopback port, over the chosen queue driver,
 * in front of a fresh simulated provider. With `bullmq` it uses the real Redis under a random prefix,
 * deleted again on close.
 */
export async function startGatewayUnderTest(driver: Driver, overrides: Partial<AppConfig> = {}): Promise<GatewayUnderTest> {
  const simulator = await startSimulatedProvider();
  const prefix = randomPrefix();
  const config = testConfig({
    providers: simulatedProviders(simulator.url),
    redis: { url: driver === 'bullmq' ? REDIS_URL : null, prefix },
    ...overrides,
  });
  const server = await startServer(config, pino({ level: 'silent' }), 'all');
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  return {
    server,
    simulator,
    client,
    prefix,
    async close() {
      await server.close();
      await simulator.close();
      if (driver === 'bullmq') await deletePrefix(prefix);
    },
  };
}
