import { metricNames, type JobConsumer, type QueueName } from '@ailb/shared';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { EmbeddingModel, EmbedOptions } from '../embedding/embedding-model.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const QUEUES: readonly QueueName[] = ['knowledge', 'context', 'ingest', 'memory'];

/**
 * The embedder's Prometheus metrics: embedding latency and batch size (per model and priority), and
 * the depth and lag of its queues, read from the transport when scraped. Its own registry: the split
 * embedder serves it on its /metrics; the embedded default merges it into the gateway's.
 */
export class EmbedderMetrics {
  readonly registry = new Registry();
  private readonly latency;
  private readonly batchSize;

  constructor(consumer: JobConsumer) {
    const registers = [this.registry];
    const { embeddingLatency, embeddingBatchSize, embedderQueueDepth, embedderQueueLag } = metricNames;
    this.latency = new Histogram({ name: embeddingLatency.name, help: embeddingLatency.help, labelNames: embeddingLatency.labels, buckets: LATENCY_BUCKETS, registers });
    this.batchSize = new Histogram({ name: embeddingBatchSize.name, help: embeddingBatchSize.help, labelNames: embeddingBatchSize.labels, buckets: BATCH_BUCKETS, registers });
    // Read at scrape time: the queues are shared, so every embedder reports the same depth and lag.
    const stats = () => Promise.all(QUEUES.map(async (queue) => ({ queue, stats: await consumer.stats(queue).catch(() => undefined) })));
    new Gauge({
      name: embedderQueueDepth.name,
      help: embedderQueueDepth.help,
      labelNames: embedderQueueDepth.labels,
      registers,
      async collect() {
        for (const { queue, stats: current } of await stats()) {
          if (!current) continue;
          this.set({ queue, state: 'waiting' }, current.waiting);
          this.set({ queue, state: 'active' }, current.active);
        }
      },
    });
    new Gauge({
      name: embedderQueueLag.name,
      help: embedderQueueLag.help,
      labelNames: embedderQueueLag.labels,
      registers,
      async collect() {
        for (const { queue, stats: current } of await stats()) if (current) this.set({ queue }, current.lagMs / 1000);
      },
    });
  }

  /** The model, with every embedding call timed and its batch size recorded. */
  instrument(model: EmbeddingModel): EmbeddingModel {
    const record = (texts: number, priority: string, seconds: number) => {
      this.latency.observe({ model: model.name, priority }, seconds);
      this.batchSize.observe({ model: model.name, priority }, texts);
    };
    return {
      name: model.name,
      maxBatch: model.maxBatch,
      load: () => model.load(),
      close: () => model.close(),
      async embed(texts: readonly string[], options?: EmbedOptions) {
        const started = performance.now();
        const vectors = await model.embed(texts, options);
        record(texts.length, options?.priority ?? 'bulk', (performance.now() - started) / 1000);
        return vectors;
      },
    };
  }
}
