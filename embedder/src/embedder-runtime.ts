import { randomUUID } from 'node:crypto';
import { KNOWLEDGE_JOB_VERSION, type EmbedderState, type JobConsumer, type JobProducer, type KnowledgeConfig, type ProviderConfig } from '@ailb/shared';
import type { Logger } from 'pino';
import { startChromaServer, type OwnChromaServer } from './chroma/chroma-server.js';
import { createEmbeddingModel } from './embedding/create-embedding-model.js';
import type { EmbeddingModel } from './embedding/embedding-model.js';
import type { KnowledgeContext } from './knowledge/knowledge-context.js';
import { MemoryStore } from './memory/memory-store.js';
import { EmbedderMetrics } from './observability/embedder-metrics.js';
import { contextProcessor } from './processors/context.processor.js';
import { ingestProcessor } from './processors/ingest.processor.js';
import { knowledgeProcessor } from './processors/knowledge.processor.js';
import { memoryProcessor } from './processors/memory.processor.js';
import { Retriever } from './rag/retriever.js';
import { ChromaAccess } from './store/chroma-access.js';
import { ChunkStore } from './store/chunk-store.js';
import { FileContentStore } from './store/file-content-store.js';
import { KnowledgeCatalog } from './store/knowledge-catalog.js';

export interface EmbedderRuntimeOptions {
  consumer: JobConsumer;
  /** Enqueues the ingestion jobs this embedder creates (adding files to stores). */
  producer: JobProducer;
  state: EmbedderState;
  config: KnowledgeConfig;
  /** Deployments, for an `openai:`/`ollama:` embedding model. */
  providers: readonly ProviderConfig[];
  logger: Logger;
  /** Replaces the configured model (tests). */
  model?: EmbeddingModel;
  /** @defaultValue a random UUID */
  embedderId?: string;
  /** @defaultValue 2000 */
  heartbeatMs?: number;
  /** How often expired memory is deleted. @defaultValue 600000 */
  sweepMs?: number;
  /** This embedder's `VERSION`, announced with its heartbeats (`GetInstances`). @defaultValue '' */
  version?: string;
  /** Where it can be reached (`host:port` of its metrics and health endpoints in split mode), announced with its heartbeats. @defaultValue '' */
  address?: () => string;
}

/** How long an ingestion job is worth running (files still in progress after that are re-queued at start). */
const INGEST_DEADLINE_MS = 7 * 24 * 3600 * 1000;
/** Operations and context requests run side by side; embedding itself is serialised by the model. */
const REQUEST_CONCURRENCY = 16;

/**
 * One embedder: consumes the knowledge, context, ingest and memory queues over any transport, owns the
 * embedding model (loaded on first use) and talks to Chroma — the configured server, or one it starts
 * itself under `dataDir`. Announces itself so gateways refuse at once what no embedder could serve;
 * at start it re-queues files whose ingestion was lost; it expires old memory.
 */
export class EmbedderRuntime {
  readonly embedderId: string;
  readonly model: EmbeddingModel;
  readonly metrics: EmbedderMetrics;
  private ownChroma: OwnChromaServer | undefined;
  private chromaUrl: string | undefined;
  private context: KnowledgeContext | undefined;
  private timers: NodeJS.Timeout[] = [];
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly startedAt = Date.now();

  constructor(private readonly options: EmbedderRuntimeOptions) {
    this.embedderId = options.embedderId ?? randomUUID();
    this.metrics = new EmbedderMetrics(options.consumer);
    this.model = this.metrics.instrument(options.model ?? createEmbeddingModel(options.config.embedder, options.providers));
  }

  /** The Chroma server in use. */
  get chroma(): string | undefined {
    return this.chromaUrl;
  }

  /** Starts once; a close during the start waits for it, so nothing it opens is left running. */
  start(): Promise<void> {
    this.starting ??= this.run().catch(async (error: unknown) => {
      // A start that failed half-way must not leave its own Chroma running.
      await this.ownChroma?.stop();
      throw error;
    });
    return this.starting;
  }

  private async run(): Promise<void> {
    const { consumer, producer, config, logger } = this.options;
    this.chromaUrl = config.embedder.chromaUrl ?? undefined;
    if (!this.chromaUrl) {
      this.ownChroma = await startChromaServer({ dataDir: config.embedder.dataDir, logger });
      this.chromaUrl = this.ownChroma.url;
    }
    const chroma = new ChromaAccess(this.chromaUrl);
    const catalog = new KnowledgeCatalog(chroma);
    const chunks = new ChunkStore(chroma);
    const context: KnowledgeContext = {
      catalog,
      contents: new FileContentStore(chroma),
      chunks,
      memory: new MemoryStore(chroma, this.model),
      retriever: new Retriever(catalog, chunks, this.model),
      model: this.model,
      config,
      enqueueIngestion: (tenant, storeId, fileId, createdAt) =>
        producer.enqueue('ingest', {
          version: KNOWLEDGE_JOB_VERSION,
          // One job per store file and addition: BullMQ drops a duplicate of a job still queued.
          jobId: `ingest-${storeId}-${fileId}-${createdAt}`,
          replyTo: producer.replyChannel,
          deadlineAt: Date.now() + INGEST_DEADLINE_MS,
          tenant,
          storeId,
          fileId,
        }),
    };
    this.context = context;
    await consumer.consume('knowledge', knowledgeProcessor(context, logger), REQUEST_CONCURRENCY);
    await consumer.consume('context', contextProcessor(context, logger), REQUEST_CONCURRENCY);
    await consumer.consume('ingest', ingestProcessor(context, logger), config.embedder.concurrency);
    await consumer.consume('memory', memoryProcessor(context, logger), config.embedder.concurrency);
    await this.beat();
    this.timers.push(
      setInterval(() => void this.beat().catch((error: unknown) => logger.warn({ err: error }, 'embedder heartbeat failed')), this.options.heartbeatMs ?? 2000),
      setInterval(() => void this.sweep(), this.options.sweepMs ?? 600_000),
    );
    for (const timer of this.timers) timer.unref();
    void this.requeueLostIngestions();
    void this.sweep();
    void this.warmUpIfUsed();
    logger.info({ embedderId: this.embedderId, model: this.model.name, chroma: this.chromaUrl, ownChroma: this.ownChroma !== undefined }, 'embedder started');
  }

  /** Says it is alive, with its version and address for `GetInstances` (one write). */
  private beat(): Promise<void> {
    const { version = '', address } = this.options;
    return this.options.state.heartbeat('embedder', this.embedderId, Date.now(), {
      version,
      address: address?.() ?? '',
      health: 'healthy',
      startedAt: this.startedAt,
      connections: 0,
      metadata: { role: 'embedder', model: this.model.name },
    });
  }

  /** Files left `in_progress` (their job lost with an in-memory queue, or expired) are queued again. */
  private async requeueLostIngestions(): Promise<void> {
    const context = this.context;
    if (!context) return;
    try {
      const pending = await context.catalog.pendingStoreFiles();
      for (const { tenant, file } of pending) await context.enqueueIngestion(tenant, file.vectorStoreId, file.fileId, file.createdAt);
      if (pending.length > 0) this.options.logger.info({ files: pending.length }, 're-queued files still being ingested');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not look for lost ingestions');
    }
  }

  /**
   * Loads the model at start when this deployment already holds knowledge or memory (it is used), so
   * the first retrieval after a restart meets its deadline; a deployment that never used them does
   * not pay the model's memory until it does.
   */
  private async warmUpIfUsed(): Promise<void> {
    const context = this.context;
    if (!context) return;
    try {
      if ((await context.catalog.isEmpty()) && (await context.memory.isEmpty())) return;
      await this.model.load();
      this.options.logger.info({ model: this.model.name }, 'embedding model loaded');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not warm up the embedding model');
    }
  }

  /** Deletes memory older than its retention. */
  private async sweep(): Promise<void> {
    try {
      await this.context?.memory.expire(this.options.config.memory.ttlSeconds);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'memory retention sweep failed');
    }
  }

  /** Stops taking jobs, lets running ones finish, deregisters, frees the model, stops its own Chroma. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => undefined);
      for (const timer of this.timers) clearInterval(timer);
      const { consumer, state, logger } = this.options;
      const steps: Array<() => Promise<unknown>> = [() => consumer.close(), () => state.deregister('embedder', this.embedderId), () => this.model.close(), () => this.ownChroma?.stop() ?? Promise.resolve()];
      for (const step of steps) await step().catch((error: unknown) => logger.warn({ err: error }, 'embedder close step failed'));
      logger.info({ embedderId: this.embedderId }, 'embedder stopped');
    })();
    return this.closing;
  }
}
