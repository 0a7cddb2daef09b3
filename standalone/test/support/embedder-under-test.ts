import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CIRCUIT, type KnowledgeConfig, type KnowledgeOperation, type KnowledgeResults, type VectorStore } from '@ailb/shared';
import { InMemoryClusterState, InProcessTransport, resolveKnowledge } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { EmbedderRuntime, type EmbeddingModel } from '@ailb/embedder';

import { KnowledgeClient } from '@ailb/gateway';

/*
 * An embedder on the in-process transport with its own Chroma (started from the npm package under a
 * temporary folder, stopped and deleted by `close`), and the gateway's client to talk to it.
 */
export interface EmbedderUnderTest {
  runtime: EmbedderRuntime;
  client: KnowledgeClient;
  state: InMemoryClusterState;
  transport: InProcessTransport;
  dataDir: string;
  run<Op extends KnowledgeOperation['op']>(tenant: string, operation: Extract<KnowledgeOperation, { op: Op }>): Promise<KnowledgeResults[Op]>;
  /** Uploads a text file. */
  upload(tenant: string, filename: string, text: string, mediaType?: string): Promise<KnowledgeResults['file.create']>;
  /** Waits until no file of the store is in progress; answers the store. */
  settled(tenant: string, storeId: string, timeoutMs?: number): Promise<VectorStore>;
  close(): Promise<void>;
}

export async function startEmbedderUnderTest(options: { knowledge?: (config: KnowledgeConfig) => KnowledgeConfig; model?: EmbeddingModel; dataDir?: string; sweepMs?: number } = {}): Promise<EmbedderUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ailb-embedder-'));
  const logger = pino({ level: 'silent' });
  const transport = new InProcessTransport(logger);
  const state = new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 });
  const base = resolveKnowledge({ AILB_DATA_DIR: dataDir }, {});
  const config = options.knowledge ? options.knowledge(base) : base;
  const runtime = new EmbedderRuntime({ consumer: transport.consumer, producer: transport.producer, state, config, providers: [], logger, ...(options.model ? { model: options.model } : {}), ...(options.sweepMs ? { sweepMs: options.sweepMs } : {}) });
  await runtime.start();
  const client = new KnowledgeClient({ producer: transport.producer, state, memoryTtlMs: config.memory.ttlSeconds * 1000, operationTimeoutMs: 60_000 });
  const run: EmbedderUnderTest['run'] = (tenant, operation) => client.run(tenant, operation);
  return {
    runtime,
    client,
    state,
    transport,
    dataDir,
    run,
    upload: (tenant, filename, text, mediaType = 'text/markdown') => run(tenant, { op: 'file.create', filename, purpose: 'assistants', mediaType, contentBase64: Buffer.from(text).toString('base64') }),
    async settled(tenant, storeId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const store = await run(tenant, { op: 'store.get', storeId });
        if (store.fileCounts.inProgress === 0) return store;
        if (Date.now() > deadline) throw new Error(`store ${storeId} still in progress: ${JSON.stringify(store.fileCounts)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await runtime.close();
      await transport.producer.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
