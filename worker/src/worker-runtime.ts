import { randomUUID } from 'node:crypto';
import type { ChatProvider, WorkerState, JobConsumer, ProviderConfig } from '@ailb/shared';
import type { Logger } from 'pino';
import { chatProcessor } from './processors/chat.processor.js';

export interface WorkerRuntimeOptions {
  consumer: JobConsumer;
  state: WorkerState;
  providers: ReadonlyMap<string, ChatProvider>;
  providerConfigs: ProviderConfig[];
  concurrency: number;
  logger: Logger;
  /** @defaultValue a random UUID */
  workerId?: string;
  /** How often the worker reports it is alive. @defaultValue 2000 */
  heartbeatMs?: number;
  /** How often model lists are refreshed for deployments whose config lists none. @defaultValue 30000 */
  discoveryMs?: number;
}

/**
 * One worker: consumes the chat queue, executes its jobs against providers, reports liveness and the models
 * it discovered. Transport-agnostic, so the embedded default and split mode run the same code.
 */
export class WorkerRuntime {
  readonly workerId: string;
  private timers: NodeJS.Timeout[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WorkerRuntimeOptions) {
    this.workerId = options.workerId ?? randomUUID();
  }

  async start(): Promise<void> {
    const { consumer, state, providers, logger, concurrency } = this.options;
    await this.discoverModels();
    await consumer.consume('chat', chatProcessor({ providers, state, logger, workerId: this.workerId }), concurrency);
    await state.heartbeat('worker', this.workerId);
    this.timers.push(
      setInterval(() => {
        state.heartbeat('worker', this.workerId).catch((error: unknown) => logger.warn({ err: error }, 'heartbeat failed'));
      }, this.options.heartbeatMs ?? 2000),
      setInterval(() => void this.discoverModels(), this.options.discoveryMs ?? 30_000),
    );
    for (const timer of this.timers) timer.unref();
    logger.info({ workerId: this.workerId, providers: [...providers.keys()], concurrency }, 'worker started');
  }

  /** Asks deployments without a configured model list what they serve. Failures are logged, not fatal. */
  private async discoverModels(): Promise<void> {
    const { providerConfigs, providers, state, logger } = this.options;
    await Promise.all(
      providerConfigs
        .filter((config) => config.models === undefined)
        .map(async (config) => {
          const provider = providers.get(config.id);
          if (!provider) return;
          try {
            const models = await provider.listModels(AbortSignal.timeout(10_000));
            await state.setDiscoveredModels(config.id, models);
          } catch (error) {
            logger.warn({ provider: config.id, err: error }, 'model discovery failed');
          }
        }),
    );
  }

  /** Stops taking jobs, lets running ones finish, deregisters. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.timers) clearInterval(timer);
      const { consumer, state, providers, logger } = this.options;
      const steps: Array<() => Promise<unknown>> = [
        () => consumer.close(),
        () => state.deregister('worker', this.workerId),
        ...[...providers.values()].map((provider) => () => provider.close?.() ?? Promise.resolve()),
      ];
      // Every step runs even when an earlier one fails, so nothing is left open.
      for (const step of steps) await step().catch((error: unknown) => logger.warn({ err: error }, 'worker close step failed'));
      logger.info({ workerId: this.workerId }, 'worker stopped');
    })();
    return this.closing;
  }
}
