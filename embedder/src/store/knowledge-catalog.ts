import type { Metadata } from 'chromadb';
import type { FileBatch, FileCounts, IngestionStatus, StoredFile, VectorStore, VectorStoreFile } from '@ailb/shared';
import { PLACEHOLDER_VECTOR, type ChromaAccess } from './chroma-access.js';

/** A vector store as kept: what `VectorStore` says minus what is computed from its files. */
export type StoreRecord = Omit<VectorStore, 'usageBytes' | 'fileCounts' | 'status'>;

type Kind = 'file' | 'store' | 'store-file' | 'batch' | 'revision';

/** The collection the catalog lives in. */
export const CATALOG_COLLECTION = 'ailb_catalog';

/**
 * Files, vector stores, their files and batches, as records in one Chroma collection: the record as
 * JSON in the document, and what lists filter on (tenant, kind, store, batch, status) in the metadata.
 * Every read and write names the tenant, so one tenant never reaches another's records. Counts and
 * store status are computed from the file records when read, so concurrent ingestions never race on
 * a shared counter.
 */
export class KnowledgeCatalog {
  constructor(private readonly chroma: ChromaAccess) {}

  private collection() {
    return this.chroma.collection(CATALOG_COLLECTION, { ailb: 'catalog' });
  }

  private async put(kind: Kind, key: string, tenant: string, record: object, metadata: Metadata = {}): Promise<void> {
    const collection = await this.collection();
    await this.chroma.call(() =>
      collection.upsert({ ids: [`${kind}:${key}`], embeddings: [PLACEHOLDER_VECTOR], documents: [JSON.stringify(record)], metadatas: [{ ...metadata, tenant, kind }] }),
    );
  }

  private async getOne<T>(kind: Kind, key: string, tenant: string): Promise<T | undefined> {
    const collection = await this.collection();
    const found = await this.chroma.call(() => collection.get({ ids: [`${kind}:${key}`], include: ['documents', 'metadatas'] }));
    const document = found.documents[0];
    if (document == null || found.metadatas[0]?.tenant !== tenant) return undefined;
    return JSON.parse(document) as T;
  }

  private async list<T>(kind: Kind, tenant: string, where: Record<string, string> = {}): Promise<T[]> {
    const collection = await this.collection();
    const conditions = [{ tenant }, { kind }, ...Object.entries(where).map(([key, value]) => ({ [key]: value }))];
    const found = await this.chroma.call(() => collection.get({ where: { $and: conditions }, include: ['documents'] }));
    return found.documents.filter((document): document is string => document != null).map((document) => JSON.parse(document) as T);
  }

  private async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const collection = await this.collection();
    await this.chroma.call(() => collection.delete({ ids }));
  }

  /** True when no tenant has any file or store yet. */
  async isEmpty(): Promise<boolean> {
    const collection = await this.collection();
    return (await this.chroma.call(() => collection.count())) === 0;
  }

  // Files.
  putFile(file: StoredFile): Promise<void> {
    return this.put('file', file.id, file.tenant, file, { purpose: file.purpose, created_at: file.createdAt });
  }
  getFile(tenant: string, fileId: string): Promise<StoredFile | undefined> {
    return this.getOne('file', fileId, tenant);
  }
  listFiles(tenant: string, purpose?: string): Promise<StoredFile[]> {
    return this.list('file', tenant, purpose === undefined ? {} : { purpose });
  }
  deleteFile(fileId: string): Promise<void> {
    return this.remove([`file:${fileId}`]);
  }

  // Vector stores.
  putStore(store: StoreRecord): Promise<void> {
    return this.put('store', store.id, store.tenant, store, { name: store.name ?? '', created_at: store.createdAt });
  }
  getStoreRecord(tenant: string, storeId: string): Promise<StoreRecord | undefined> {
    return this.getOne('store', storeId, tenant);
  }
  listStoreRecords(tenant: string): Promise<StoreRecord[]> {
    return this.list('store', tenant);
  }
  /** The newest store of that name (`rag_collection` may name a store instead of giving its id). */
  async findStoreByName(tenant: string, name: string): Promise<StoreRecord | undefined> {
    const stores = await this.list<StoreRecord>('store', tenant, { name });
    return stores.sort((left, right) => right.createdAt - left.createdAt)[0];
  }
  async deleteStore(tenant: string, storeId: string): Promise<void> {
    const files = await this.listStoreFiles(tenant, storeId);
    const batches = await this.list<FileBatch>('batch', tenant, { store_id: storeId });
    await this.remove([`store:${storeId}`, `revision:${storeId}`, ...files.map((file) => `store-file:${storeId}:${file.fileId}`), ...batches.map((batch) => `batch:${batch.id}`)]);
  }

  /** A store as clients see it: its record, its files counted by status, bytes used, status. */
  async storeView(store: StoreRecord, now = Date.now()): Promise<VectorStore> {
    const files = await this.listStoreFiles(store.tenant, store.id);
    const fileCounts = countFiles(files.map((file) => file.status));
    const expired = store.expiresAfterDays !== null && store.lastActiveAt + store.expiresAfterDays * 86_400 < now / 1000;
    return {
      ...store,
      usageBytes: files.reduce((total, file) => total + file.usageBytes, 0),
      fileCounts,
      status: expired ? 'expired' : fileCounts.inProgress > 0 ? 'in_progress' : 'completed',
    };
  }

  // Files in vector stores.
  putStoreFile(tenant: string, file: VectorStoreFile): Promise<void> {
    return this.put('store-file', `${file.vectorStoreId}:${file.fileId}`, tenant, file, {
      store_id: file.vectorStoreId,
      file_id: file.fileId,
      batch_id: file.batchId ?? '',
      status: file.status,
      created_at: file.createdAt,
    });
  }
  getStoreFile(tenant: string, storeId: string, fileId: string): Promise<VectorStoreFile | undefined> {
    return this.getOne('store-file', `${storeId}:${fileId}`, tenant);
  }
  listStoreFiles(tenant: string, storeId: string, filter: { status?: IngestionStatus; batchId?: string } = {}): Promise<VectorStoreFile[]> {
    return this.list('store-file', tenant, {
      store_id: storeId,
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.batchId === undefined ? {} : { batch_id: filter.batchId }),
    });
  }
  /** Every store file of one file, across stores (a deleted file leaves every store). */
  storeFilesOfFile(tenant: string, fileId: string): Promise<VectorStoreFile[]> {
    return this.list('store-file', tenant, { file_id: fileId });
  }
  /** Store files still being ingested, of every tenant (restarting their lost jobs). */
  async pendingStoreFiles(): Promise<Array<{ tenant: string; file: VectorStoreFile }>> {
    const collection = await this.collection();
    const found = await this.chroma.call(() => collection.get({ where: { $and: [{ kind: 'store-file' }, { status: 'in_progress' }] }, include: ['documents', 'metadatas'] }));
    return found.documents.flatMap((document, index) => (document == null ? [] : [{ tenant: String(found.metadatas[index]?.tenant), file: JSON.parse(document) as VectorStoreFile }]));
  }
  deleteStoreFile(storeId: string, fileId: string): Promise<void> {
    return this.remove([`store-file:${storeId}:${fileId}`]);
  }

  // Batches.
  putBatch(tenant: string, batch: Omit<FileBatch, 'status' | 'fileCounts'>): Promise<void> {
    return this.put('batch', batch.id, tenant, batch, { store_id: batch.vectorStoreId, created_at: batch.createdAt });
  }
  /** A batch as clients see it: its files counted by status; cancelled once cancelled, else in progress until none is. */
  async getBatch(tenant: string, storeId: string, batchId: string): Promise<FileBatch | undefined> {
    const batch = await this.getOne<Omit<FileBatch, 'status' | 'fileCounts'> & { cancelled?: boolean }>('batch', batchId, tenant);
    if (!batch || batch.vectorStoreId !== storeId) return undefined;
    const files = await this.listStoreFiles(tenant, storeId, { batchId });
    const fileCounts = countFiles(files.map((file) => file.status));
    const status: IngestionStatus = batch.cancelled ? 'cancelled' : fileCounts.inProgress > 0 ? 'in_progress' : fileCounts.failed > 0 && fileCounts.completed === 0 ? 'failed' : 'completed';
    return { id: batch.id, vectorStoreId: batch.vectorStoreId, createdAt: batch.createdAt, status, fileCounts };
  }
  async markBatchCancelled(tenant: string, batchId: string): Promise<void> {
    const batch = await this.getOne<Omit<FileBatch, 'status' | 'fileCounts'>>('batch', batchId, tenant);
    if (batch) await this.put('batch', batch.id, tenant, { ...batch, cancelled: true }, { store_id: batch.vectorStoreId, created_at: batch.createdAt });
  }

  // Revisions: change whenever a store's chunks change, so every replica knows its lexical index is stale.
  async bumpRevision(tenant: string, storeId: string, revision: string): Promise<void> {
    await this.put('revision', storeId, tenant, { revision }, { store_id: storeId });
  }
  async revision(tenant: string, storeId: string): Promise<string> {
    return (await this.getOne<{ revision: string }>('revision', storeId, tenant))?.revision ?? 'none';
  }
}

/** Files by ingestion status. */
export function countFiles(statuses: readonly IngestionStatus[]): FileCounts {
  const counts: FileCounts = { inProgress: 0, completed: 0, failed: 0, cancelled: 0, total: statuses.length };
  for (const status of statuses) {
    if (status === 'in_progress') counts.inProgress++;
    else counts[status]++;
  }
  return counts;
}
