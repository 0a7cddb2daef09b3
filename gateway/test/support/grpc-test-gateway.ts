import { createModuleServiceClient, type ModuleServiceTestClient } from '@ailb/testkit';
import type { AppConfig, JobContext } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/start-gateway.js';
import { testAppConfig } from './test-app-config.js';

/*
 * The gRPC listener of a real gateway (HTTP and gRPC on loopback sockets) over the in-process queue,
 * with a stand-in worker that answers every chat job after `workerDelayMs`.
 */
const logger = pino({ level: 'silent' });
const usage = { inputTokens: 3, outputTokens: 5, totalTokens: 8 };

export interface TestGateway {
  gateway: RunningGateway;
  state: InMemoryClusterState;
  client: ModuleServiceTestClient;
  shutdowns: { reason: string; deadlineMs: number }[];
  /** One non-streaming chat request over HTTP. */
  chat(): Promise<Response>;
}

/** Closed (in reverse order) after each test of the file that imports this module. */
export const started: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const resource of started.splice(0).reverse()) await resource.close();
});

export async function startTestGateway(options: { grpc?: Partial<AppConfig['grpc']>; workerDelayMs?: number; worker?: boolean; clientOptions?: Parameters<typeof createModuleServiceClient>[1] } = {}): Promise<TestGateway> {
  const config = testAppConfig({ grpc: { host: '127.0.0.1', port: 0, ...options.grpc } });
  const transport = new InProcessTransport(logger);
  const state = new InMemoryClusterState(config.routing);
  await transport.consumer.consume('chat', async (context: JobContext<'chat'>) => {
    await new Promise((resolve) => setTimeout(resolve, options.workerDelayMs ?? 0));
    await context.reply({ kind: 'result', servedBy: { provider: 'p', model: 'm', upstreamMs: 2 }, attempts: [{ provider: 'p', model: 'm', outcome: 'success', durationMs: 2 }], result: { content: [{ type: 'text', text: 'Hello' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, response: { modelId: 'm' } } });
  }, 8);
  if (options.worker !== false) await state.heartbeat('worker', 'worker-1');
  const shutdowns: { reason: string; deadlineMs: number }[] = [];
  const gateway = await startGateway(config, logger, { producer: transport.producer, state, traces: new InMemoryTraceStore(), queueStats: (queue) => transport.consumer.stats(queue) }, () => transport.consumer.close(), {
    // Observable instead of exiting: records the request and closes the gateway, as the process would.
    requestShutdown: (reason, deadlineMs) => {
      shutdowns.push({ reason, deadlineMs });
      void gateway.close();
    },
  });
  started.push(gateway);
  const client = createModuleServiceClient(gateway.grpcAddress, options.clientOptions);
  started.push(client);
  const chat = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
  return { gateway, state, client, shutdowns, chat };
}

