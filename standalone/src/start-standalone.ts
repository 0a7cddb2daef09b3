import type { AppConfig } from '@ailb/shared';
import { join } from 'node:path';
import { InMemoryClusterState, InMemoryControlDocuments, InMemoryKeyStore, InMemoryLedgerStore, InMemoryRateLimitStore, InMemoryTraceStore, InProcessTransport, type ConfigSource } from '@ailb/shared/runtime';
import { startGateway, startRedisGateway, type GatewayOptions, type RunningGateway } from '@ailb/gateway';
import { startSimulatedProvider } from '@ailb/testkit/simulator';
import { EmbedderRuntime, startRedisEmbedder } from '@ailb/embedder';
import { configuredTargets, createProviders, startRedisWorker, WorkerMetrics, WorkerRuntime } from '@ailb/worker';
import type { Logger } from 'pino';

/** The model name the embedded demo serves when no provider is configured. */
export const DEMO_MODEL = 'ailb-demo';

/** Gateway and worker in one process; `close` drains both and stops what was started for them. */
export interface RunningStandalone extends RunningGateway {
  /** The configuration actually served (with the demo deployment when none was configured). */
  config: AppConfig;
  /**
   * Settles when the embedder (memory, RAG) has started — it starts after the gateway listens, so
   * chat is served at once — or failed to (logged; chat goes on). Undefined when memory and RAG are off.
   */
  embedderReady: Promise<void> | undefined;
}

/**
 * Starts every role in one process. Without REDIS_URL: the in-process transport and in-memory state
 * (the embedded default). With it: BullMQ and Redis state, so the process joins a split deployment as
 * one gateway plus one worker. With no provider configured, the demo model is served by AILB's
 * simulated provider. Cleanup steps are registered as they are created, so a start that fails
 * half-way still releases what it opened; the HTTP edge closes first, then the worker drains.
 */
export async function startStandalone(baseConfig: AppConfig, logger: Logger, options: Pick<GatewayOptions, 'requestShutdown' | 'configSource' | 'configWritten'> = {}): Promise<RunningStandalone> {
  const cleanups: Array<() => Promise<unknown>> = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    })();
    return closing;
  };
  // The gRPC Shutdown RPC stops every role of the process, not only the gateway. @defaultValue close them all, without exiting
  const gatewayOptions: GatewayOptions = {
    requestShutdown: options.requestShutdown ?? ((reason) => {
      logger.info({ reason }, 'shutdown requested: closing every role');
      void close();
    }),
    configSource: options.configSource,
    configWritten: options.configWritten,
  };
  try {
    let config = baseConfig;
    if (config.demo) {
      const simulator = await startSimulatedProvider({ models: [DEMO_MODEL], tokensPerSecond: 50 });
      cleanups.push(() => simulator.close());
      config = { ...config, providers: [{ id: 'demo', type: 'openai', base_url: `${simulator.url}/v1`, api_key: 'demo-key', models: [DEMO_MODEL], default_max_tokens: 4096 }] };
      if (options.configSource) gatewayOptions.configSource = withDemoProvider(options.configSource, config.providers);
      logger.warn({ model: DEMO_MODEL, simulator: simulator.url }, `No provider configured: serving the demo model "${DEMO_MODEL}" from AILB's built-in simulated provider. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL or AILB_CONFIG to use real providers.`);
    }

    const withEmbedder = config.knowledge.memory.enabled || config.knowledge.rag.enabled;
    let gateway: RunningGateway;
    let startEmbedder: (() => Promise<void>) | undefined;
    if (config.redis.url) {
      const worker = await startRedisWorker(config, logger);
      cleanups.push(() => worker.close());
      gateway = await startRedisGateway(config, logger, gatewayOptions);
      if (withEmbedder) {
        // Its cleanup takes its place now, before the gateway's, so the edge still stops first.
        let embedder: Promise<{ close(): Promise<void> }> | undefined;
        cleanups.push(async () => (await embedder?.catch(() => undefined))?.close());
        startEmbedder = async () => {
          embedder = startRedisEmbedder(config, logger);
          await embedder;
        };
      }
    } else {
      const transport = new InProcessTransport(logger);
      const state = new InMemoryClusterState(config.routing);
      // The worker's metrics join the gateway's /metrics (one scrape target for the whole process).
      const workerMetrics = new WorkerMetrics({ consumer: transport.consumer, circuits: { health: state, policy: config.routing.circuit, targets: configuredTargets(config) } });
      const runtime = new WorkerRuntime({
        observer: workerMetrics,
        consumer: transport.consumer,
        state,
        providers: createProviders(config.providers),
        providerConfigs: config.providers,
        concurrency: config.worker.concurrency,
        logger,
        version: config.deployment.version,
      });
      cleanups.push(() => transport.producer.close());
      cleanups.push(() => runtime.close());
      await runtime.start();
      const embedder = withEmbedder ? new EmbedderRuntime({ consumer: transport.consumer, producer: transport.producer, state, config: config.knowledge, providers: config.providers, logger, version: config.deployment.version }) : undefined;
      if (embedder) {
        cleanups.push(() => embedder.close());
        startEmbedder = () => embedder.start();
      }
      gateway = await startGateway(config, logger, { producer: transport.producer, state, traces: new InMemoryTraceStore(), rateLimits: new InMemoryRateLimitStore(), controlDocuments: new InMemoryControlDocuments(), keys: new InMemoryKeyStore({ file: join(config.knowledge.embedder.dataDir, 'keys.json') }), ledger: new InMemoryLedgerStore({ file: join(config.knowledge.embedder.dataDir, 'ledger.json'), onPersistError: (error) => logger.warn({ err: error }, 'the cost ledger could not be saved; it is retried with the next entries') }), extraMetrics: [workerMetrics.registry, ...(embedder ? [embedder.metrics.registry] : [])], queueStats: (queue) => transport.consumer.stats(queue) }, undefined, gatewayOptions);
    }
    // Registered last so it runs first: stop intake and finish in-flight HTTP before workers drain.
    cleanups.push(() => gateway.close());
    const embedderReady = startEmbedder?.().catch((error: unknown) => {
      logger.error({ err: error }, 'the embedder did not start: memory and RAG are unavailable (chat requests asking for them answer with x-ailb-context: degraded)');
    });
    return { ...gateway, config, close, embedderReady };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A reload of the demo still has no provider configured: it keeps serving the demo deployment started for it. */
function withDemoProvider(source: ConfigSource, providers: AppConfig['providers']): ConfigSource {
  return {
    ...source,
    read: () => {
      const reading = source.read();
      return reading.config.demo ? { ...reading, config: { ...reading.config, providers } } : reading;
    },
  };
}
