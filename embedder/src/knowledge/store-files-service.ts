import { AUTO_CHUNKING, GatewayError, type Attributes, type Chunking, type KnowledgeOperation, type KnowledgeResults, type VectorStoreFile } from '@ailb/shared';
import { paginate } from '../store/paginate.js';
import type { StoreRecord } from '../store/knowledge-catalog.js';
import { requireFile, requireStore } from './lookups.js';
import { newBatchId, newRevision } from './ids.js';
import { nowSeconds, type KnowledgeContext } from './knowledge-context.js';

type Op<Name extends KnowledgeOperation['op']> = Extract<KnowledgeOperation, { op: Name }>;

async function requireStoreFile(context: KnowledgeContext, tenant: string, storeId: string, fileId: string): Promise<VectorStoreFile> {
  const file = await context.catalog.getStoreFile(tenant, storeId, fileId);
  if (!file) throw new GatewayError('not_found', `No file found with id '${fileId}' in vector store '${storeId}'.`, { param: 'file_id' });
  return file;
}

/**
 * Adds a file to a store: its record answers at once with `in_progress`; the ingestion job (chunk,
 * embed, index) runs in whichever embedder takes it. Adding a file again re-ingests it.
 */
export async function addFileToStore(
  context: KnowledgeContext,
  tenant: string,
  store: StoreRecord,
  file: { fileId: string; attributes?: Attributes | undefined; chunking?: Chunking | undefined },
  batchId: string | null = null,
): Promise<VectorStoreFile> {
  await requireFile(context, tenant, file.fileId);
  const record: VectorStoreFile = {
    fileId: file.fileId,
    vectorStoreId: store.id,
    createdAt: nowSeconds(),
    status: 'in_progress',
    lastError: null,
    chunking: file.chunking ?? AUTO_CHUNKING,
    attributes: file.attributes ?? null,
    usageBytes: 0,
    batchId,
  };
  await context.catalog.putStoreFile(tenant, record);
  await context.enqueueIngestion(tenant, store.id, file.fileId, record.createdAt);
  return record;
}

/** Removes a file's chunks and record from a store; the store's lexical index goes stale. */
export async function removeFileFromStore(context: KnowledgeContext, tenant: string, storeId: string, fileId: string): Promise<void> {
  await context.catalog.deleteStoreFile(storeId, fileId);
  await context.chunks.deleteFileChunks(storeId, fileId);
  await context.catalog.bumpRevision(tenant, storeId, newRevision());
}

/** Files in vector stores, and batches of them. */
export const storeFilesService = {
  async create(context: KnowledgeContext, tenant: string, operation: Op<'store-file.create'>): Promise<VectorStoreFile> {
    const store = await requireStore(context, tenant, operation.storeId);
    return addFileToStore(context, tenant, store, operation.file);
  },

  async list(context: KnowledgeContext, tenant: string, operation: Op<'store-file.list'>): Promise<KnowledgeResults['store-file.list']> {
    await requireStore(context, tenant, operation.storeId);
    if (operation.batchId !== undefined) await requireBatch(context, tenant, operation.storeId, operation.batchId);
    const files = await context.catalog.listStoreFiles(tenant, operation.storeId, { ...(operation.status ? { status: operation.status } : {}), ...(operation.batchId ? { batchId: operation.batchId } : {}) });
    return paginate(files, operation.page, (file) => file.fileId, (file) => file.createdAt);
  },

  async get(context: KnowledgeContext, tenant: string, operation: Op<'store-file.get'>): Promise<VectorStoreFile> {
    await requireStore(context, tenant, operation.storeId);
    return requireStoreFile(context, tenant, operation.storeId, operation.fileId);
  },

  async update(context: KnowledgeContext, tenant: string, operation: Op<'store-file.update'>): Promise<VectorStoreFile> {
    await requireStore(context, tenant, operation.storeId);
    const file = { ...(await requireStoreFile(context, tenant, operation.storeId, operation.fileId)), attributes: operation.attributes };
    await context.catalog.putStoreFile(tenant, file);
    await context.chunks.setFileAttributes(tenant, operation.storeId, operation.fileId, operation.attributes);
    await context.catalog.bumpRevision(tenant, operation.storeId, newRevision());
    return file;
  },

  async delete(context: KnowledgeContext, tenant: string, operation: Op<'store-file.delete'>): Promise<{ id: string }> {
    await requireStore(context, tenant, operation.storeId);
    await requireStoreFile(context, tenant, operation.storeId, operation.fileId);
    await removeFileFromStore(context, tenant, operation.storeId, operation.fileId);
    return { id: operation.fileId };
  },

  async createBatch(context: KnowledgeContext, tenant: string, operation: Op<'batch.create'>): Promise<KnowledgeResults['batch.create']> {
    const store = await requireStore(context, tenant, operation.storeId);
    // Every file must exist before anything is added: a batch is accepted whole or refused.
    for (const file of operation.files) await requireFile(context, tenant, file.fileId);
    const batch = { id: newBatchId(), vectorStoreId: store.id, createdAt: nowSeconds() };
    await context.catalog.putBatch(tenant, batch);
    for (const file of operation.files) {
      await addFileToStore(context, tenant, store, { fileId: file.fileId, attributes: file.attributes ?? operation.attributes, chunking: file.chunking ?? operation.chunking }, batch.id);
    }
    return requireBatch(context, tenant, store.id, batch.id);
  },

  async getBatch(context: KnowledgeContext, tenant: string, operation: Op<'batch.get'>): Promise<KnowledgeResults['batch.get']> {
    await requireStore(context, tenant, operation.storeId);
    return requireBatch(context, tenant, operation.storeId, operation.batchId);
  },

  /** Cancels what of a batch is not ingested yet; files already done stay. */
  async cancelBatch(context: KnowledgeContext, tenant: string, operation: Op<'batch.cancel'>): Promise<KnowledgeResults['batch.cancel']> {
    await requireStore(context, tenant, operation.storeId);
    await requireBatch(context, tenant, operation.storeId, operation.batchId);
    await context.catalog.markBatchCancelled(tenant, operation.batchId);
    for (const file of await context.catalog.listStoreFiles(tenant, operation.storeId, { batchId: operation.batchId, status: 'in_progress' })) {
      await context.catalog.putStoreFile(tenant, { ...file, status: 'cancelled' });
    }
    return requireBatch(context, tenant, operation.storeId, operation.batchId);
  },
};

async function requireBatch(context: KnowledgeContext, tenant: string, storeId: string, batchId: string) {
  const batch = await context.catalog.getBatch(tenant, storeId, batchId);
  if (!batch) throw new GatewayError('not_found', `No file batch found with id '${batchId}' in vector store '${storeId}'.`, { param: 'batch_id' });
  return batch;
}
