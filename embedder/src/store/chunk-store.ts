import type { Metadata, Where } from 'chromadb';
import { isCompound, type AttributeFilter, type Attributes } from '@ailb/shared';
import type { ChromaAccess } from './chroma-access.js';

/** What a vector store holds per file: chunks (what search returns) and their passages (a retrieval aid). */
export type RecordKind = 'chunk' | 'passage';

/** A chunk or passage as stored: its text and where it came from. */
export interface StoredRecord {
  /** Chunks `<fileId>:<index>`; passages `<chunkId>#<index>`. */
  id: string;
  kind: RecordKind;
  fileId: string;
  filename: string;
  /** A passage's chunk; a chunk's own id. */
  chunkId: string;
  text: string;
  /** A chunk's heading context (indexed with its text); empty for passages (their text carries it). */
  context: string;
  attributes: Attributes | null;
}

/** A record to store, with its vector. */
export interface NewRecord {
  id: string;
  kind: RecordKind;
  chunkId: string;
  text: string;
  context: string;
  vector: number[];
}

/** Attributes live in chunk metadata under this prefix, apart from AILB's own keys. */
const ATTRIBUTE_PREFIX = 'attr_';

/** Chroma collection of one vector store's chunks. */
export const chunkCollectionName = (storeId: string) => `ailb_${storeId}`;

function attributesOf(metadata: Metadata | null | undefined): Attributes | null {
  if (!metadata) return null;
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith(ATTRIBUTE_PREFIX) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) attributes[key.slice(ATTRIBUTE_PREFIX.length)] = value;
  }
  return Object.keys(attributes).length > 0 ? attributes : null;
}

function toRecord(id: string, text: string | null | undefined, metadata: Metadata | null | undefined): StoredRecord {
  const kind: RecordKind = metadata?.kind === 'passage' ? 'passage' : 'chunk';
  return {
    id,
    kind,
    fileId: String(metadata?.file_id ?? ''),
    filename: String(metadata?.filename ?? ''),
    chunkId: kind === 'passage' ? String(metadata?.chunk_id ?? '') : id,
    text: text ?? '',
    context: String(metadata?.context ?? ''),
    attributes: attributesOf(metadata),
  };
}

/** An attribute filter in Chroma's `where` language (on the prefixed attribute keys), scoped to a tenant. */
export function toChromaWhere(tenant: string, kind: RecordKind, filter: AttributeFilter | undefined): Where {
  return { $and: [{ tenant }, { kind }, ...(filter ? [translate(filter)] : [])] };
}

function translate(filter: AttributeFilter): Where {
  if (isCompound(filter)) {
    const inner = filter.filters.map(translate);
    // Chroma wants at least two operands under $and/$or.
    if (inner.length === 1) return inner[0]!;
    return filter.type === 'and' ? { $and: inner } : { $or: inner };
  }
  return { [`${ATTRIBUTE_PREFIX}${filter.key}`]: { [`$${filter.type}`]: filter.value } } as Where;
}

/**
 * One vector store's chunks in their own Chroma collection (cosine space): the embedding, the text as
 * the document, the file, its name, the chunk's index and the file's attributes as metadata, and the
 * tenant on every record so every query is scoped to it.
 */
export class ChunkStore {
  constructor(private readonly chroma: ChromaAccess) {}

  private collection(storeId: string) {
    return this.chroma.collection(chunkCollectionName(storeId), { ailb: 'vector-store', store_id: storeId });
  }

  /** Stores a file's chunks and passages (replacing records of the same ids). */
  async addFileRecords(tenant: string, storeId: string, file: { fileId: string; filename: string; attributes: Attributes | null }, records: readonly NewRecord[]): Promise<void> {
    if (records.length === 0) return;
    const collection = await this.collection(storeId);
    const attributes = Object.fromEntries(Object.entries(file.attributes ?? {}).map(([key, value]) => [`${ATTRIBUTE_PREFIX}${key}`, value]));
    // Chroma takes large batches, but a bounded request size keeps memory flat for big files.
    for (let start = 0; start < records.length; start += 256) {
      const slice = records.slice(start, start + 256);
      await this.chroma.call(() =>
        collection.upsert({
          ids: slice.map((record) => record.id),
          embeddings: slice.map((record) => record.vector),
          documents: slice.map((record) => record.text),
          metadatas: slice.map((record) => ({
            tenant,
            kind: record.kind,
            file_id: file.fileId,
            filename: file.filename,
            ...(record.kind === 'passage' ? { chunk_id: record.chunkId } : { context: record.context }),
            ...attributes,
          })),
        }),
      );
    }
  }

  async deleteFileChunks(storeId: string, fileId: string): Promise<void> {
    const collection = await this.collection(storeId);
    await this.chroma.call(() => collection.delete({ where: { file_id: fileId } }));
  }

  /** Replaces the attributes on every chunk of a file. */
  async setFileAttributes(tenant: string, storeId: string, fileId: string, attributes: Attributes | null): Promise<void> {
    const collection = await this.collection(storeId);
    const found = await this.chroma.call(() => collection.get({ where: { $and: [{ tenant }, { file_id: fileId }] }, include: ['metadatas'] }));
    if (found.ids.length === 0) return;
    const prefixed = Object.fromEntries(Object.entries(attributes ?? {}).map(([key, value]) => [`${ATTRIBUTE_PREFIX}${key}`, value]));
    // Chroma merges updated metadata into what is there: attributes that were dropped are set to null.
    const metadatas = found.metadatas.map((metadata) => {
      const dropped = Object.keys(metadata ?? {}).filter((key) => key.startsWith(ATTRIBUTE_PREFIX) && !(key in prefixed));
      return { ...Object.fromEntries(dropped.map((key) => [key, null])), ...prefixed } as Metadata;
    });
    await this.chroma.call(() => collection.update({ ids: found.ids, metadatas }));
  }

  /** The `limit` records of `kind` nearest to `vector`, with their cosine similarity (1 − Chroma's cosine distance). */
  async nearest(tenant: string, storeId: string, kind: RecordKind, vector: number[], limit: number, filter?: AttributeFilter): Promise<Array<StoredRecord & { similarity: number }>> {
    const collection = await this.collection(storeId);
    const found = await this.chroma.call(() => collection.query({ queryEmbeddings: [vector], nResults: limit, where: toChromaWhere(tenant, kind, filter), include: ['documents', 'metadatas', 'distances'] }));
    const ids = found.ids[0] ?? [];
    return ids.map((id, index) => ({ ...toRecord(id, found.documents[0]?.[index], found.metadatas[0]?.[index]), similarity: 1 - (found.distances[0]?.[index] ?? 1) }));
  }

  /** The vectors of these records (those that exist). */
  async vectors(tenant: string, storeId: string, ids: readonly string[]): Promise<Map<string, number[]>> {
    if (ids.length === 0) return new Map();
    const collection = await this.collection(storeId);
    const found = await this.chroma.call(() => collection.get({ ids: [...ids], where: { tenant }, include: ['embeddings'] }));
    return new Map(found.ids.map((id, index) => [id, Array.from(found.embeddings[index] ?? [])]));
  }

  /** Every chunk and passage of the store, without vectors (for its lexical indexes). */
  async all(tenant: string, storeId: string): Promise<StoredRecord[]> {
    const collection = await this.collection(storeId);
    const found = await this.chroma.call(() => collection.get({ where: { tenant }, include: ['documents', 'metadatas'] }));
    return found.ids.map((id, index) => toRecord(id, found.documents[index], found.metadatas[index]));
  }

  drop(storeId: string): Promise<void> {
    return this.chroma.dropCollection(chunkCollectionName(storeId));
  }
}
