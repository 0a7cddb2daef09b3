import { randomUUID } from 'node:crypto';
import type { ChatProvider, WorkerState, JobConsumer, ProviderConfig, InstanceHealth } from '@ailb/shared';
import type { Logger } from 'pino';
import type { AttemptObserver } from './execution/attempt-observer.js';
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
  /**
   * This worker's `VERSION`. It also takes the jobs of the chat queue's lane of that version (where
   * gateways send a blue/green version's share) and names itself in every answer. @defaultValue none:
   * the plain queue only
   */
  version?: string;
  /**
   * How long a closing worker with a `version` keeps taking jobs after announcing it is stopping, so
   * gateways (which re-read live versions every second) stop sending jobs to its version's lane before
   * it leaves. Always waited when there is a version: whether a gateway is about to send a job to the
   * lane cannot be known from here (a lane that carried nothing so far may get a job this very
   * second). @defaultValue 0
   */
  stoppingNoticeMs?: number;
  /** Told about every job and attempt (the worker's metrics, see `WorkerMetrics`). @defaultValue none */
  observer?: AttemptObserver;
}

/**
 * One worker: consumes the chat queue, executes its jobs against providers, reports liveness and the models
 * it discovered. Transport-agnostic, so the embedded default and split mode run the same code.
 */
export class WorkerRuntime {
  readonly workerId: string;
  private timers: NodeJS.Timeout[] = [];
  private closing: Promise<void> | undefined;
  private readonly startedAt = Date.now();
  private health: InstanceHealth = 'starting';
  /** Chat jobs running now (announced as the worker's connections). */
  private running = 0;

  constructor(private readonly options: WorkerRuntimeOptions) {
    this.workerId = options.workerId ?? randomUUID();
  }

  async start(): Promise<void> {
    const { consumer, providers, logger, concurrency, version } = this.options;
    await this.discoverModels();
    const processJob = chatProcessor({ providers, state: this.options.state, logger, workerId: this.workerId, workerVersion: version, observer: this.options.observer });
    const counted: typeof processJob = async (context) => {
      this.running++;
      try {
        await processJob(context);
      } finally {
        this.running--;
      }
    };
    await consumer.consume('chat', counted, concurrency);
    // Its version's lane: each lane has the full concurrency, and in steady state only one carries jobs
    // (the plain queue without blue/green, the version lanes with it).
    if (version !== undefined) await consumer.consume('chat', counted, concurrency, { lane: version });
    this.health = 'healthy';
    await this.beat();
    this.timers.push(
      setInterval(() => {
        this.beat().catch((error: unknown) => logger.warn({ err: error }, 'heartbeat failed'));
      }, this.options.heartbeatMs ?? 2000),
      setInterval(() => void this.discoverModels(), this.options.discoveryMs ?? 30_000),
    );
    for (const timer of this.timers) timer.unref();
    logger.info({ workerId: this.workerId, version, providers: [...providers.keys()], concurrency }, 'worker started');
  }

  /** Says it is alive, with what `GetInstances` lists and gateways route versions by (one write). */
  private beat(): Promise<void> {
    const { version = '', concurrency } = this.options;
    return this.options.state.heartbeat('worker', this.workerId, Date.now(), {
      version,
      address: '',
      health: this.health,
      startedAt: this.startedAt,
      connections: this.running,
      metadata: { role: 'worker', concurrency: String(concurrency), providers: [...this.options.providers.keys()].join(',') },
    });
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
      const { consumer, state, providers, logger, version, stoppingNoticeMs = 0 } = this.options;
      if (this.health !== 'starting') {
        // Gateways leave out versions whose workers are all stopping; jobs they sent meanwhile still run.
        this.health = 'stopping';
        await this.beat().catch((error: unknown) => logger.warn({ err: error }, 'heartbeat failed'));
        // Jobs a gateway sends to this version's lane before it sees `stopping` are still taken; jobs that
        // reach the lane after this worker left are moved back to the plain queue by a gateway.
        if (stoppingNoticeMs > 0 && version !== undefined) await new Promise((resolve) => setTimeout(resolve, stoppingNoticeMs));
      }
      for (const timer of this.timers) clearInterval(timer);
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
