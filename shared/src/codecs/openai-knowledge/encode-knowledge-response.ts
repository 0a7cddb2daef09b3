import type { FileBatch, FileCounts, Page, StoredFile, VectorStore, VectorStoreFile } from '../../contracts/knowledge/knowledge-records.js';
import type { KnowledgeResults } from '../../contracts/knowledge/knowledge-results.js';
import type {
  DeleteFileResponse,
  DeleteVectorStoreFileResponse,
  DeleteVectorStoreResponse,
  ListResponse,
  OpenAIFileObject,
  VectorStoreFileBatchObject,
  VectorStoreFileObject,
  VectorStoreObject,
  VectorStoreSearchResultsPage,
} from './knowledge-response.schema.js';

/*
 * Encoders from the embedder's neutral records into OpenAI's Files and Vector Stores objects, shaped
 * to validate against knowledge-response.schema.ts (OpenAI's OpenAPI document).
 */

const DAY_SECONDS = 86_400;

/** A cursor page; `first_id`/`last_id` are strings in OpenAI's schema, so an empty page carries "". */
function toList<Record, Item>(page: Page<Record>, encode: (record: Record) => Item, idOf: (record: Record) => string): ListResponse<Item> {
  const first = page.items[0];
  const last = page.items.at(-1);
  return { object: 'list', data: page.items.map(encode), first_id: first ? idOf(first) : '', last_id: last ? idOf(last) : '', has_more: page.hasMore };
}

function toFileCounts(counts: FileCounts) {
  return { in_progress: counts.inProgress, completed: counts.completed, failed: counts.failed, cancelled: counts.cancelled, total: counts.total };
}

/**
 * A `file`. AILB reads a file when it is stored, so it is always `processed`; files never expire, and
 * `expires_at`/`status_details` are left out (OpenAI's schema allows neither to be null).
 */
export function toOpenAIFile(file: StoredFile): OpenAIFileObject {
  return { id: file.id, object: 'file', bytes: file.bytes, created_at: file.createdAt, filename: file.filename, purpose: file.purpose as OpenAIFileObject['purpose'], status: 'processed' };
}

export function toFileList(page: Page<StoredFile>): ListResponse<OpenAIFileObject> {
  return toList(page, toOpenAIFile, (file) => file.id);
}

export function toFileDeleted(deleted: KnowledgeResults['file.delete']): DeleteFileResponse {
  return { id: deleted.id, object: 'file', deleted: true };
}

/** The bytes of `GET /v1/files/{id}/content` and the content type they are sent with. */
export function toFileContent(result: KnowledgeResults['file.content']): { contentType: string; body: Buffer } {
  return { contentType: `${result.file.mediaType}; charset=utf-8`, body: Buffer.from(result.contentBase64, 'base64') };
}

/**
 * A `vector_store`. OpenAI's object has no `description` (it is accepted on create only) and a
 * non-null `name`: an unnamed store is "".
 */
export function toVectorStore(store: VectorStore): VectorStoreObject {
  const encoded: VectorStoreObject = {
    id: store.id,
    object: 'vector_store',
    created_at: store.createdAt,
    name: store.name ?? '',
    usage_bytes: store.usageBytes,
    file_counts: toFileCounts(store.fileCounts),
    status: store.status,
    last_active_at: store.lastActiveAt,
    metadata: store.metadata,
    expires_at: store.expiresAfterDays === null ? null : store.lastActiveAt + store.expiresAfterDays * DAY_SECONDS,
  };
  if (store.expiresAfterDays !== null) encoded.expires_after = { anchor: 'last_active_at', days: store.expiresAfterDays };
  return encoded;
}

export function toVectorStoreList(page: Page<VectorStore>): ListResponse<VectorStoreObject> {
  return toList(page, toVectorStore, (store) => store.id);
}

export function toVectorStoreDeleted(deleted: KnowledgeResults['store.delete']): DeleteVectorStoreResponse {
  return { id: deleted.id, object: 'vector_store.deleted', deleted: true };
}

/** A `vector_store.file`: its id is the file's; `auto` chunking shows as the static 800/400 it means. */
export function toVectorStoreFile(file: VectorStoreFile): VectorStoreFileObject {
  return {
    id: file.fileId,
    object: 'vector_store.file',
    usage_bytes: file.usageBytes,
    created_at: file.createdAt,
    vector_store_id: file.vectorStoreId,
    status: file.status,
    last_error: file.lastError === null ? null : { code: file.lastError.code, message: file.lastError.message },
    chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: file.chunking.maxChunkTokens, chunk_overlap_tokens: file.chunking.overlapTokens } },
    attributes: file.attributes,
  };
}

export function toVectorStoreFileList(page: Page<VectorStoreFile>): ListResponse<VectorStoreFileObject> {
  return toList(page, toVectorStoreFile, (file) => file.fileId);
}

export function toVectorStoreFileDeleted(deleted: KnowledgeResults['store-file.delete']): DeleteVectorStoreFileResponse {
  return { id: deleted.id, object: 'vector_store.file.deleted', deleted: true };
}

export function toFileBatch(batch: FileBatch): VectorStoreFileBatchObject {
  return { id: batch.id, object: 'vector_store.files_batch', created_at: batch.createdAt, vector_store_id: batch.vectorStoreId, status: batch.status, file_counts: toFileCounts(batch.fileCounts) };
}

/** A `vector_store.search_results.page`: every hit AILB has fits one page, best first, one chunk each. */
export function toSearchResultsPage(result: KnowledgeResults['store.search']): VectorStoreSearchResultsPage {
  return {
    object: 'vector_store.search_results.page',
    search_query: result.queries,
    data: result.hits.map((hit) => ({ file_id: hit.fileId, filename: hit.filename, score: hit.score, attributes: hit.attributes, content: [{ type: 'text', text: hit.text }] })),
    has_more: false,
    next_page: null,
  };
}
