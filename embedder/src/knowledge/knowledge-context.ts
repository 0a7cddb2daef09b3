import type { KnowledgeConfig } from '@ailb/shared';
import type { EmbeddingModel } from '../embedding/embedding-model.js';
import type { MemoryStore } from '../memory/memory-store.js';
import type { Retriever } from '../rag/retriever.js';
import type { ChunkStore } from '../store/chunk-store.js';
import type { FileContentStore } from '../store/file-content-store.js';
import type { KnowledgeCatalog } from '../store/knowledge-catalog.js';

/** What the embedder's operations work with, built once per embedder. */
export interface KnowledgeContext {
  catalog: KnowledgeCatalog;
  contents: FileContentStore;
  chunks: ChunkStore;
  memory: MemoryStore;
  retriever: Retriever;
  model: EmbeddingModel;
  config: KnowledgeConfig;
  /** Queues the ingestion of one file into one store (durable; deduplicated per store file). */
  enqueueIngestion(tenant: string, storeId: string, fileId: string, createdAt: number): Promise<void>;
}

/** Epoch seconds, the time unit of every knowledge record. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);
