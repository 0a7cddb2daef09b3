import { GatewayError, type KnowledgeOperation, type KnowledgeResults, type VectorStore } from '@ailb/shared';
import type { StoreRecord } from '../store/knowledge-catalog.js';
import { paginate } from '../store/paginate.js';
import { newVectorStoreId } from './ids.js';
import { nowSeconds, type KnowledgeContext } from './knowledge-context.js';
import { requireFile, requireStore } from './lookups.js';
import { addFileToStore } from './store-files-service.js';

type Op<Name extends KnowledgeOperation['op']> = Extract<KnowledgeOperation, { op: Name }>;

/** Searches count as activity (expiry is anchored on it), but are written at most once a minute. */
const ACTIVITY_WRITE_SECONDS = 60;

/** Vector stores: create, list, read, change, delete, search. */
export const storesService = {
  async create(context: KnowledgeContext, tenant: string, operation: Op<'store.create'>): Promise<VectorStore> {
    for (const file of operation.files) await requireFile(context, tenant, file.fileId);
    const now = nowSeconds();
    const store: StoreRecord = {
      id: newVectorStoreId(),
      tenant,
      name: operation.name,
      description: operation.description,
      createdAt: now,
      lastActiveAt: now,
      metadata: operation.metadata,
      expiresAfterDays: operation.expiresAfterDays,
      embeddingModel: context.model.name,
      dimensions: null,
    };
    await context.catalog.putStore(store);
    for (const file of operation.files) await addFileToStore(context, tenant, store, { fileId: file.fileId, attributes: file.attributes, chunking: file.chunking ?? operation.chunking });
    return context.catalog.storeView(store);
  },

  async list(context: KnowledgeContext, tenant: string, operation: Op<'store.list'>): Promise<KnowledgeResults['store.list']> {
    const records = await context.catalog.listStoreRecords(tenant);
    const page = paginate(records, operation.page, (store) => store.id, (store) => store.createdAt);
    return { items: await Promise.all(page.items.map((store) => context.catalog.storeView(store))), hasMore: page.hasMore };
  },

  async get(context: KnowledgeContext, tenant: string, operation: Op<'store.get'>): Promise<VectorStore> {
    return context.catalog.storeView(await requireStore(context, tenant, operation.storeId));
  },

  async update(context: KnowledgeContext, tenant: string, operation: Op<'store.update'>): Promise<VectorStore> {
    const store = await requireStore(context, tenant, operation.storeId);
    const updated: StoreRecord = {
      ...store,
      ...(operation.name !== undefined ? { name: operation.name } : {}),
      ...(operation.metadata !== undefined ? { metadata: operation.metadata } : {}),
      ...(operation.expiresAfterDays !== undefined ? { expiresAfterDays: operation.expiresAfterDays } : {}),
      lastActiveAt: nowSeconds(),
    };
    await context.catalog.putStore(updated);
    return context.catalog.storeView(updated);
  },

  /** Deletes the store, its records and its chunks; the files themselves stay. */
  async delete(context: KnowledgeContext, tenant: string, operation: Op<'store.delete'>): Promise<{ id: string }> {
    await requireStore(context, tenant, operation.storeId);
    await context.catalog.deleteStore(tenant, operation.storeId);
    await context.chunks.drop(operation.storeId);
    context.retriever.forget(tenant, operation.storeId);
    return { id: operation.storeId };
  },

  async search(context: KnowledgeContext, tenant: string, operation: Op<'store.search'>): Promise<KnowledgeResults['store.search']> {
    const store = await requireStore(context, tenant, operation.storeId);
    const view = await context.catalog.storeView(store);
    if (view.status === 'expired') throw new GatewayError('invalid_value', `Vector store ${store.id} has expired.`, { param: 'vector_store_id' });
    const hits = await context.retriever.search(tenant, store, operation.search);
    const now = nowSeconds();
    if (now - store.lastActiveAt >= ACTIVITY_WRITE_SECONDS) await context.catalog.putStore({ ...store, lastActiveAt: now });
    return { queries: operation.search.queries, hits };
  },
};
