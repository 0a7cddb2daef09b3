import { GatewayError, knowledgeOperationSchema } from '@ailb/shared';
import {
  deleteVectorStoreFileResponseSchema,
  deleteVectorStoreResponseSchema,
  errorResponseSchema,
  listVectorStoreFilesResponseSchema,
  listVectorStoresResponseSchema,
  vectorStoreFileBatchSchema,
  vectorStoreFileSchema,
  vectorStoreSchema,
  vectorStoreSearchResultsPageSchema,
} from '@ailb/shared/openai-knowledge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectValid, fileBatch, startWithStandInEmbedder, vectorStore, vectorStoreFile, type StandInEmbedder } from './support/stand-in-embedder.js';

/*
 * The Vector Stores API of the OpenAI route group, through app.inject() against a stand-in embedder:
 * the neutral operation each route sends, its answer validated against OpenAI's OpenAPI-derived
 * schemas, and 400s naming the param before anything is sent.
 */

let embedder: StandInEmbedder;
beforeEach(async () => {
  embedder = await startWithStandInEmbedder();
});
afterEach(async () => {
  await embedder.close();
});

const post = (url: string, payload: unknown) => embedder.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

describe('vector stores', () => {
  it('creates a store with every OpenAI field decoded into the neutral operation', async () => {
    embedder.answer = () => vectorStore;
    const response = await post('/v1/vector_stores', {
      name: 'docs',
      description: 'Product docs',
      file_ids: ['file-1', 'file-2'],
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 400, chunk_overlap_tokens: 100 } },
      metadata: { team: 'support' },
      expires_after: { anchor: 'last_active_at', days: 7 },
    });
    expect(response.statusCode).toBe(200);
    expect(embedder.operations).toEqual([
      {
        op: 'store.create',
        name: 'docs',
        description: 'Product docs',
        files: [{ fileId: 'file-1' }, { fileId: 'file-2' }],
        chunking: { maxChunkTokens: 400, overlapTokens: 100 },
        metadata: { team: 'support' },
        expiresAfterDays: 7,
      },
    ]);
    knowledgeOperationSchema.parse(embedder.operations[0]);
    expectValid(vectorStoreSchema, response.json());
    expect(response.json()).toEqual({
      id: 'vs_1',
      object: 'vector_store',
      created_at: 1_700_000_000,
      name: 'docs',
      usage_bytes: 2048,
      file_counts: { in_progress: 1, completed: 2, failed: 0, cancelled: 0, total: 3 },
      status: 'in_progress',
      expires_after: { anchor: 'last_active_at', days: 7 },
      expires_at: 1_700_000_100 + 7 * 86_400,
      last_active_at: 1_700_000_100,
      metadata: { team: 'support' },
    });
  });

  it('creates an unnamed store from an empty body, and encodes a store that never expires', async () => {
    embedder.answer = () => ({ ...vectorStore, name: null, metadata: null, expiresAfterDays: null });
    const response = await embedder.app.inject({ method: 'POST', url: '/v1/vector_stores' });
    expect(embedder.operations).toEqual([{ op: 'store.create', name: null, description: null, files: [], metadata: null, expiresAfterDays: null }]);
    expectValid(vectorStoreSchema, response.json());
    expect(response.json()).toMatchObject({ name: '', metadata: null, expires_at: null });
    expect(response.json()).not.toHaveProperty('expires_after');
  });

  it('lists, retrieves, modifies and deletes', async () => {
    embedder.answer = (operation) => {
      if (operation.op === 'store.list') return { items: [vectorStore], hasMore: false };
      return operation.op === 'store.delete' ? { id: operation.storeId } : vectorStore;
    };
    const list = await embedder.app.inject({ url: '/v1/vector_stores?limit=5&order=asc&before=vs_9' });
    expectValid(listVectorStoresResponseSchema, list.json());
    expect(list.json()).toMatchObject({ object: 'list', first_id: 'vs_1', last_id: 'vs_1', has_more: false });
    expectValid(vectorStoreSchema, (await embedder.app.inject({ url: '/v1/vector_stores/vs_1' })).json());
    expectValid(vectorStoreSchema, (await post('/v1/vector_stores/vs_1', { name: null, expires_after: null, metadata: { a: 'b' } })).json());
    await post('/v1/vector_stores/vs_1', { name: 'renamed' });
    const deleted = await embedder.app.inject({ method: 'DELETE', url: '/v1/vector_stores/vs_1' });
    expectValid(deleteVectorStoreResponseSchema, deleted.json());
    expect(deleted.json()).toEqual({ id: 'vs_1', object: 'vector_store.deleted', deleted: true });
    expect(embedder.operations).toEqual([
      { op: 'store.list', page: { limit: 5, order: 'asc', before: 'vs_9' } },
      { op: 'store.get', storeId: 'vs_1' },
      { op: 'store.update', storeId: 'vs_1', name: null, metadata: { a: 'b' }, expiresAfterDays: null },
      { op: 'store.update', storeId: 'vs_1', name: 'renamed' },
      { op: 'store.delete', storeId: 'vs_1' },
    ]);
  });

  it('answers an empty list with string cursors, as OpenAI’s schema types them', async () => {
    embedder.answer = () => ({ items: [], hasMore: false });
    const list = await embedder.app.inject({ url: '/v1/vector_stores' });
    expectValid(listVectorStoresResponseSchema, list.json());
    expect(embedder.operations).toEqual([{ op: 'store.list', page: { limit: 20, order: 'desc' } }]);
  });

  it('refuses bad input with a 400 naming the param, before the embedder is asked', async () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['/v1/vector_stores', { name: 'x', colour: 'blue' }, 'unknown_parameter', 'colour'],
      ['/v1/vector_stores', { chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 50, chunk_overlap_tokens: 0 } } }, 'invalid_value', 'chunking_strategy.static.max_chunk_size_tokens'],
      ['/v1/vector_stores', { chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 401 } } }, 'invalid_value', 'chunking_strategy.static.chunk_overlap_tokens'],
      ['/v1/vector_stores', { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) }, 'invalid_value', 'metadata'],
      ['/v1/vector_stores', { expires_after: { anchor: 'created_at', days: 1 } }, 'invalid_value', 'expires_after.anchor'],
      ['/v1/vector_stores', { expires_after: { anchor: 'last_active_at', days: 366 } }, 'invalid_value', 'expires_after.days'],
      ['/v1/vector_stores', { file_ids: 'file-1' }, 'invalid_type', 'file_ids'],
      ['/v1/vector_stores/vs_1/files', { attributes: { lang: 'en' } }, 'missing_required_parameter', 'file_id'],
      ['/v1/vector_stores/vs_1/files', { file_id: 'f', attributes: { ['k'.repeat(65)]: 1 } }, 'invalid_value', `attributes.${'k'.repeat(65)}`],
      ['/v1/vector_stores/vs_1/files', { file_id: 'f', attributes: { note: 'x'.repeat(513) } }, 'invalid_value', 'attributes.note'],
      ['/v1/vector_stores/vs_1/files/f', {}, 'missing_required_parameter', 'attributes'],
      ['/v1/vector_stores/vs_1/file_batches', {}, 'missing_required_parameter', 'file_ids'],
      ['/v1/vector_stores/vs_1/file_batches', { file_ids: ['a'], files: [{ file_id: 'b' }] }, 'invalid_value', 'files'],
      ['/v1/vector_stores/vs_1/search', {}, 'missing_required_parameter', 'query'],
      ['/v1/vector_stores/vs_1/search', { query: 'q', max_num_results: 0 }, 'invalid_value', 'max_num_results'],
      ['/v1/vector_stores/vs_1/search', { query: 'q', filters: { type: 'gt', key: 'v', value: [1] } }, 'invalid_value', 'filters.value'],
      ['/v1/vector_stores/vs_1/search', { query: 'q', filters: { type: 'or', filters: [{ key: 'a' }] } }, 'missing_required_parameter', 'filters.filters[0].value'],
      ['/v1/vector_stores/vs_1/search', { query: 'q', ranking_options: { score_threshold: 1.5 } }, 'invalid_value', 'ranking_options.score_threshold'],
    ];
    for (const [url, body, code, param] of cases) {
      const response = await post(url, body);
      expect({ url, status: response.statusCode, ...response.json().error }).toMatchObject({ url, status: 400, code, param });
      expectValid(errorResponseSchema, response.json());
    }
    expect((await embedder.app.inject({ url: '/v1/vector_stores/vs_1/files?filter=done' })).json().error).toMatchObject({ code: 'invalid_value', param: 'filter' });
    expect((await embedder.app.inject({ url: '/v1/vector_stores?limit=101' })).json().error).toMatchObject({ code: 'invalid_value', param: 'limit' });
    expect(embedder.operations).toEqual([]);
  });

  it('passes a 404 for an unknown store through', async () => {
    embedder.answer = () => {
      throw new GatewayError('not_found', "No vector store found with id 'vs_nope'.", { param: 'vector_store_id' });
    };
    for (const request of [{ url: '/v1/vector_stores/vs_nope' }, { method: 'DELETE' as const, url: '/v1/vector_stores/vs_nope' }, { method: 'POST' as const, url: '/v1/vector_stores/vs_nope/search', payload: { query: 'q' } }]) {
      const response = await embedder.app.inject(request);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { message: "No vector store found with id 'vs_nope'.", type: 'invalid_request_error', param: 'vector_store_id', code: 'not_found' } });
    }
  });
});

describe('search', () => {
  it('decodes queries, filters and the score threshold, and answers a search results page, best first', async () => {
    embedder.answer = (operation) => ({
      queries: operation.op === 'store.search' ? operation.search.queries : [],
      hits: [
        { fileId: 'file-1', filename: 'a.md', score: 0.91, attributes: { lang: 'en' }, text: 'First.' },
        { fileId: 'file-2', filename: 'b.md', score: 0.4, attributes: null, text: 'Second.' },
      ],
    });
    const filters = { type: 'and', filters: [{ key: 'lang', value: 'en' }, { type: 'or', filters: [{ type: 'gte', key: 'version', value: 2 }, { type: 'in', key: 'tier', value: ['gold', 3] }] }] };
    const response = await post('/v1/vector_stores/vs_1/search', { query: ['refunds', 'money back'], max_num_results: 5, filters, ranking_options: { ranker: 'auto', score_threshold: 0.3 }, rewrite_query: false });
    expect(embedder.operations).toEqual([
      {
        op: 'store.search',
        storeId: 'vs_1',
        search: {
          queries: ['refunds', 'money back'],
          maxResults: 5,
          filter: { type: 'and', filters: [{ type: 'eq', key: 'lang', value: 'en' }, { type: 'or', filters: [{ type: 'gte', key: 'version', value: 2 }, { type: 'in', key: 'tier', value: ['gold', 3] }] }] },
          scoreThreshold: 0.3,
        },
      },
    ]);
    knowledgeOperationSchema.parse(embedder.operations[0]);
    expectValid(vectorStoreSearchResultsPageSchema, response.json());
    expect(response.json()).toEqual({
      object: 'vector_store.search_results.page',
      search_query: ['refunds', 'money back'],
      data: [
        { file_id: 'file-1', filename: 'a.md', score: 0.91, attributes: { lang: 'en' }, content: [{ type: 'text', text: 'First.' }] },
        { file_id: 'file-2', filename: 'b.md', score: 0.4, attributes: null, content: [{ type: 'text', text: 'Second.' }] },
      ],
      has_more: false,
      next_page: null,
    });
  });

  it('defaults max_num_results to 10', async () => {
    embedder.answer = () => ({ queries: ['q'], hits: [] });
    expectValid(vectorStoreSearchResultsPageSchema, (await post('/v1/vector_stores/vs_1/search', { query: 'q' })).json());
    expect(embedder.operations).toEqual([{ op: 'store.search', storeId: 'vs_1', search: { queries: ['q'], maxResults: 10 } }]);
  });
});

describe('files of a vector store', () => {
  it('adds a file (in progress at once), lists by status, retrieves, updates attributes and removes it', async () => {
    embedder.answer = (operation) => {
      if (operation.op === 'store-file.list') return { items: [vectorStoreFile], hasMore: true };
      if (operation.op === 'store-file.delete') return { id: operation.fileId };
      return operation.op === 'store-file.create' ? { ...vectorStoreFile, status: 'in_progress', lastError: null } : vectorStoreFile;
    };
    const created = await post('/v1/vector_stores/vs_1/files', { file_id: 'file-abc', attributes: { lang: 'en', version: 2, public: true }, chunking_strategy: { type: 'auto' } });
    expectValid(vectorStoreFileSchema, created.json());
    expect(created.json()).toEqual({
      id: 'file-abc',
      object: 'vector_store.file',
      usage_bytes: 0,
      created_at: 1_700_000_050,
      vector_store_id: 'vs_1',
      status: 'in_progress',
      last_error: null,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
      attributes: { lang: 'en', version: 2, public: true },
    });
    const list = await embedder.app.inject({ url: '/v1/vector_stores/vs_1/files?filter=failed&limit=1&after=file-0' });
    expectValid(listVectorStoreFilesResponseSchema, list.json());
    expect(list.json().data[0].last_error).toEqual({ code: 'unsupported_file', message: 'No text found.' });
    expectValid(vectorStoreFileSchema, (await embedder.app.inject({ url: '/v1/vector_stores/vs_1/files/file-abc' })).json());
    expectValid(vectorStoreFileSchema, (await post('/v1/vector_stores/vs_1/files/file-abc', { attributes: null })).json());
    const deleted = await embedder.app.inject({ method: 'DELETE', url: '/v1/vector_stores/vs_1/files/file-abc' });
    expectValid(deleteVectorStoreFileResponseSchema, deleted.json());
    expect(deleted.json()).toEqual({ id: 'file-abc', object: 'vector_store.file.deleted', deleted: true });
    expect(embedder.operations).toEqual([
      { op: 'store-file.create', storeId: 'vs_1', file: { fileId: 'file-abc', attributes: { lang: 'en', version: 2, public: true }, chunking: { maxChunkTokens: 800, overlapTokens: 400 } } },
      { op: 'store-file.list', storeId: 'vs_1', status: 'failed', page: { limit: 1, order: 'desc', after: 'file-0' } },
      { op: 'store-file.get', storeId: 'vs_1', fileId: 'file-abc' },
      { op: 'store-file.update', storeId: 'vs_1', fileId: 'file-abc', attributes: null },
      { op: 'store-file.delete', storeId: 'vs_1', fileId: 'file-abc' },
    ]);
    for (const operation of embedder.operations) knowledgeOperationSchema.parse(operation);
  });
});

describe('file batches', () => {
  it('creates a batch from file_ids (shared settings) or files (each its own), and reads, cancels and lists it', async () => {
    embedder.answer = (operation) => (operation.op === 'store-file.list' ? { items: [vectorStoreFile], hasMore: false } : operation.op === 'batch.cancel' ? { ...fileBatch, status: 'cancelled' } : fileBatch);
    const shared = await post('/v1/vector_stores/vs_1/file_batches', { file_ids: ['file-1', 'file-2'], attributes: { lang: 'en' }, chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 0 } } });
    expectValid(vectorStoreFileBatchSchema, shared.json());
    expect(shared.json()).toEqual({ id: 'vsfb_1', object: 'vector_store.files_batch', created_at: 1_700_000_060, vector_store_id: 'vs_1', status: 'in_progress', file_counts: { in_progress: 1, completed: 2, failed: 0, cancelled: 0, total: 3 } });
    await post('/v1/vector_stores/vs_1/file_batches', { files: [{ file_id: 'file-1', attributes: { lang: 'de' } }, { file_id: 'file-2', chunking_strategy: { type: 'auto' } }], attributes: { ignored: true } });
    expectValid(vectorStoreFileBatchSchema, (await embedder.app.inject({ url: '/v1/vector_stores/vs_1/file_batches/vsfb_1' })).json());
    const cancelled = await embedder.app.inject({ method: 'POST', url: '/v1/vector_stores/vs_1/file_batches/vsfb_1/cancel' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expectValid(listVectorStoreFilesResponseSchema, (await embedder.app.inject({ url: '/v1/vector_stores/vs_1/file_batches/vsfb_1/files?filter=completed' })).json());
    expect(embedder.operations).toEqual([
      { op: 'batch.create', storeId: 'vs_1', files: [{ fileId: 'file-1' }, { fileId: 'file-2' }], chunking: { maxChunkTokens: 300, overlapTokens: 0 }, attributes: { lang: 'en' } },
      { op: 'batch.create', storeId: 'vs_1', files: [{ fileId: 'file-1', attributes: { lang: 'de' } }, { fileId: 'file-2', chunking: { maxChunkTokens: 800, overlapTokens: 400 } }] },
      { op: 'batch.get', storeId: 'vs_1', batchId: 'vsfb_1' },
      { op: 'batch.cancel', storeId: 'vs_1', batchId: 'vsfb_1' },
      { op: 'store-file.list', storeId: 'vs_1', batchId: 'vsfb_1', status: 'completed', page: { limit: 20, order: 'desc' } },
    ]);
    for (const operation of embedder.operations) knowledgeOperationSchema.parse(operation);
  });
});
