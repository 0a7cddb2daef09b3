import { describe, expect, it } from 'vitest';
import type { FileBatch, StoredFile, VectorStore, VectorStoreFile } from '../src/index.js';
import {
  deleteFileResponseSchema,
  deleteVectorStoreFileResponseSchema,
  deleteVectorStoreResponseSchema,
  listFilesResponseSchema,
  listVectorStoreFilesResponseSchema,
  listVectorStoresResponseSchema,
  memorySessionSchema,
  openAIFileSchema,
  toFileBatch,
  toFileContent,
  toFileDeleted,
  toFileList,
  toMemorySession,
  toOpenAIFile,
  toSearchResultsPage,
  toVectorStore,
  toVectorStoreDeleted,
  toVectorStoreFile,
  toVectorStoreFileDeleted,
  toVectorStoreFileList,
  toVectorStoreList,
  vectorStoreFileBatchSchema,
  vectorStoreFileSchema,
  vectorStoreSchema,
  vectorStoreSearchResultsPageSchema,
} from '../src/codecs/openai-knowledge/index.js';

const file: StoredFile = { id: 'file-1', tenant: 'default', filename: 'a.md', bytes: 3, purpose: 'user_data', mediaType: 'text/markdown', createdAt: 100 };
const counts = { inProgress: 0, completed: 1, failed: 1, cancelled: 0, total: 2 };
const store: VectorStore = { id: 'vs_1', tenant: 'default', name: null, description: 'd', createdAt: 100, lastActiveAt: 200, metadata: null, expiresAfterDays: null, usageBytes: 0, fileCounts: counts, status: 'completed', embeddingModel: 'use-lite', dimensions: null };
const storeFile: VectorStoreFile = { fileId: 'file-1', vectorStoreId: 'vs_1', createdAt: 150, status: 'completed', lastError: null, chunking: { maxChunkTokens: 300, overlapTokens: 50 }, attributes: null, usageBytes: 10, batchId: 'vsfb_1' };
const batch: FileBatch = { id: 'vsfb_1', vectorStoreId: 'vs_1', createdAt: 160, status: 'failed', fileCounts: counts };

describe('encoding into OpenAI objects, valid against the OpenAPI-derived schemas', () => {
  it('encodes files, their pages (an empty one too) and deletions', () => {
    expect(openAIFileSchema.parse(toOpenAIFile(file))).toEqual({ id: 'file-1', object: 'file', bytes: 3, created_at: 100, filename: 'a.md', purpose: 'user_data', status: 'processed' });
    expect(listFilesResponseSchema.parse(toFileList({ items: [file, { ...file, id: 'file-2' }], hasMore: true }))).toMatchObject({ first_id: 'file-1', last_id: 'file-2', has_more: true });
    expect(listFilesResponseSchema.parse(toFileList({ items: [], hasMore: false }))).toEqual({ object: 'list', data: [], first_id: '', last_id: '', has_more: false });
    expect(deleteFileResponseSchema.parse(toFileDeleted({ id: 'file-1' }))).toEqual({ id: 'file-1', object: 'file', deleted: true });
    const content = toFileContent({ file, contentBase64: Buffer.from('# é').toString('base64') });
    expect(content.contentType).toBe('text/markdown; charset=utf-8');
    expect(content.body.toString('utf8')).toBe('# é');
  });

  it('encodes a store without name, metadata or expiry, and one with them', () => {
    const bare = vectorStoreSchema.parse(toVectorStore(store));
    expect(bare).toEqual({ id: 'vs_1', object: 'vector_store', created_at: 100, name: '', usage_bytes: 0, file_counts: { in_progress: 0, completed: 1, failed: 1, cancelled: 0, total: 2 }, status: 'completed', expires_at: null, last_active_at: 200, metadata: null });
    const full = vectorStoreSchema.parse(toVectorStore({ ...store, name: 'docs', metadata: { a: 'b' }, expiresAfterDays: 2, status: 'expired' }));
    expect(full).toMatchObject({ name: 'docs', metadata: { a: 'b' }, expires_after: { anchor: 'last_active_at', days: 2 }, expires_at: 200 + 2 * 86_400, status: 'expired' });
    expect(listVectorStoresResponseSchema.parse(toVectorStoreList({ items: [store], hasMore: false }))).toMatchObject({ first_id: 'vs_1', last_id: 'vs_1' });
    expect(deleteVectorStoreResponseSchema.parse(toVectorStoreDeleted({ id: 'vs_1' }))).toEqual({ id: 'vs_1', object: 'vector_store.deleted', deleted: true });
  });

  it('encodes files of a store, their batches and deletions', () => {
    expect(vectorStoreFileSchema.parse(toVectorStoreFile(storeFile))).toEqual({
      id: 'file-1',
      object: 'vector_store.file',
      usage_bytes: 10,
      created_at: 150,
      vector_store_id: 'vs_1',
      status: 'completed',
      last_error: null,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 50 } },
      attributes: null,
    });
    const failed = toVectorStoreFile({ ...storeFile, status: 'failed', lastError: { code: 'invalid_file', message: 'bad' }, attributes: { a: 1 } });
    expect(vectorStoreFileSchema.parse(failed)).toMatchObject({ status: 'failed', last_error: { code: 'invalid_file', message: 'bad' }, attributes: { a: 1 } });
    expect(listVectorStoreFilesResponseSchema.parse(toVectorStoreFileList({ items: [storeFile], hasMore: false }))).toMatchObject({ first_id: 'file-1' });
    expect(deleteVectorStoreFileResponseSchema.parse(toVectorStoreFileDeleted({ id: 'file-1' }))).toEqual({ id: 'file-1', object: 'vector_store.file.deleted', deleted: true });
    expect(vectorStoreFileBatchSchema.parse(toFileBatch(batch))).toEqual({ id: 'vsfb_1', object: 'vector_store.files_batch', created_at: 160, vector_store_id: 'vs_1', status: 'failed', file_counts: { in_progress: 0, completed: 1, failed: 1, cancelled: 0, total: 2 } });
  });

  it('encodes search hits as one page, each hit one text chunk', () => {
    const page = toSearchResultsPage({ queries: ['q1', 'q2'], hits: [{ fileId: 'file-1', filename: 'a.md', score: 1, attributes: { lang: 'en' }, text: 'chunk' }] });
    expect(vectorStoreSearchResultsPageSchema.parse(page)).toEqual({
      object: 'vector_store.search_results.page',
      search_query: ['q1', 'q2'],
      data: [{ file_id: 'file-1', filename: 'a.md', score: 1, attributes: { lang: 'en' }, content: [{ type: 'text', text: 'chunk' }] }],
      has_more: false,
      next_page: null,
    });
  });

  it('encodes a memory session oldest first, in seconds', () => {
    const turn = { user: 'u', assistant: 'a', model: 'm', provider: 'p', usage: null };
    const session = toMemorySession({ sessionId: 's', turns: [{ ...turn, user: 'later', createdAt: 5_999 }, { ...turn, createdAt: 1_000 }] });
    expect(memorySessionSchema.parse(session).turns.map((entry) => [entry.user, entry.created_at])).toEqual([
      ['u', 1],
      ['later', 5],
    ]);
  });
});

describe('the transcribed schemas hold OpenAI’s rules', () => {
  it('refuse nulls OpenAI does not allow, missing required fields and fields it does not list', () => {
    const encoded = toOpenAIFile(file);
    expect(openAIFileSchema.safeParse({ ...encoded, expires_at: null }).success).toBe(false);
    expect(openAIFileSchema.safeParse({ ...encoded, status_details: null }).success).toBe(false);
    expect(openAIFileSchema.safeParse({ ...encoded, purpose: 'knowledge' }).success).toBe(false);
    expect(vectorStoreSchema.safeParse({ ...toVectorStore(store), description: 'd' }).success).toBe(false);
    const { metadata: _metadata, ...withoutMetadata } = toVectorStore(store);
    expect(vectorStoreSchema.safeParse(withoutMetadata).success).toBe(false);
    expect(vectorStoreSchema.safeParse({ ...toVectorStore(store), name: null }).success).toBe(false);
    expect(vectorStoreFileSchema.safeParse({ ...toVectorStoreFile(storeFile), last_error: undefined }).success).toBe(false);
    expect(vectorStoreSearchResultsPageSchema.safeParse({ ...toSearchResultsPage({ queries: ['q'], hits: [] }), next_page: undefined }).success).toBe(false);
    const hit = { fileId: 'f', filename: 'a', score: 1.2, attributes: null, text: 't' };
    expect(vectorStoreSearchResultsPageSchema.safeParse(toSearchResultsPage({ queries: ['q'], hits: [hit] })).success).toBe(false);
  });
});
