import { describe, expect, it } from 'vitest';
import { GatewayError, knowledgeOperationSchema } from '../src/index.js';
import {
  decodeCreateFileBatch,
  decodeCreateVectorStore,
  decodeCreateVectorStoreFile,
  decodeFileBatchRequest,
  decodeFileRequest,
  decodeListFiles,
  decodeListVectorStoreFiles,
  decodeListVectorStores,
  decodeMemorySessionRequest,
  decodeSearchVectorStore,
  decodeUpdateVectorStore,
  decodeUpdateVectorStoreFile,
  decodeVectorStoreFileRequest,
  decodeVectorStoreRequest,
} from '../src/codecs/openai-knowledge/index.js';

/** The GatewayError a decoder throws, as code and param. */
function refusal(decode: () => unknown): { code: string; param: string | null; message: string } {
  try {
    decode();
  } catch (error) {
    if (error instanceof GatewayError) return { code: error.code, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('the decoder accepted the input');
}

describe('decoding OpenAI knowledge requests', () => {
  it('applies OpenAI’s list defaults: 20 (10,000 for files), newest first', () => {
    expect(decodeListVectorStores(undefined)).toEqual({ op: 'store.list', page: { limit: 20, order: 'desc' } });
    expect(decodeListFiles({})).toEqual({ op: 'file.list', page: { limit: 10_000, order: 'desc' } });
    expect(decodeListFiles({ limit: '10000', purpose: 'user_data' })).toEqual({ op: 'file.list', purpose: 'user_data', page: { limit: 10_000, order: 'desc' } });
    expect(decodeListVectorStoreFiles('vs', { filter: 'in_progress', before: 'file-9' }, 'vsfb')).toEqual({ op: 'store-file.list', storeId: 'vs', batchId: 'vsfb', status: 'in_progress', page: { limit: 20, order: 'desc', before: 'file-9' } });
  });

  it('names the query param that is wrong, and refuses unknown ones', () => {
    expect(refusal(() => decodeListVectorStores({ limit: '0' }))).toMatchObject({ code: 'invalid_value', param: 'limit' });
    expect(refusal(() => decodeListFiles({ limit: '10001' }))).toMatchObject({ code: 'invalid_value', param: 'limit' });
    expect(refusal(() => decodeListVectorStores({ limit: '2.5' }))).toMatchObject({ code: 'invalid_type', param: 'limit' });
    expect(refusal(() => decodeListVectorStores({ order: ['asc', 'desc'] }))).toMatchObject({ code: 'invalid_value', param: 'order' });
    expect(refusal(() => decodeListVectorStores({ page: '2' }))).toMatchObject({ code: 'unknown_parameter', param: 'page', message: 'Unrecognized request argument supplied: page' });
  });

  it('decodes a store creation, `auto` chunking as OpenAI’s documented 800/400', () => {
    const operation = decodeCreateVectorStore({ name: 'n', file_ids: ['f'], chunking_strategy: { type: 'auto' }, metadata: null });
    expect(operation).toEqual({ op: 'store.create', name: 'n', description: null, files: [{ fileId: 'f' }], chunking: { maxChunkTokens: 800, overlapTokens: 400 }, metadata: null, expiresAfterDays: null });
    knowledgeOperationSchema.parse(operation);
    expect(refusal(() => decodeCreateVectorStore({ file_ids: Array.from({ length: 501 }, (_, index) => `f${index}`) }))).toMatchObject({ code: 'invalid_value', param: 'file_ids' });
    expect(refusal(() => decodeCreateVectorStore({ chunking_strategy: { type: 'semantic' } }))).toMatchObject({ code: 'invalid_value', param: 'chunking_strategy.type' });
    expect(refusal(() => decodeCreateVectorStore({ chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 4097, chunk_overlap_tokens: 0 } } }))).toMatchObject({ param: 'chunking_strategy.static.max_chunk_size_tokens' });
    expect(refusal(() => decodeCreateVectorStore({ chunking_strategy: { type: 'auto', static: {} } }))).toMatchObject({ code: 'unknown_parameter', param: 'chunking_strategy.static' });
  });

  it('changes only the fields an update sends; null clears', () => {
    expect(decodeUpdateVectorStore('vs', {})).toEqual({ op: 'store.update', storeId: 'vs' });
    expect(decodeUpdateVectorStore('vs', { expires_after: { anchor: 'last_active_at', days: 30 }, metadata: null })).toEqual({ op: 'store.update', storeId: 'vs', metadata: null, expiresAfterDays: 30 });
    expect(refusal(() => decodeUpdateVectorStore('vs', { description: 'no such field on update' }))).toMatchObject({ code: 'unknown_parameter', param: 'description' });
  });

  it('keeps metadata and attributes within OpenAI’s limits', () => {
    expect(refusal(() => decodeCreateVectorStore({ metadata: { ['k'.repeat(65)]: 'v' } }))).toMatchObject({ code: 'invalid_value', param: `metadata.${'k'.repeat(65)}` });
    expect(refusal(() => decodeCreateVectorStore({ metadata: { count: 3 } }))).toMatchObject({ code: 'invalid_type', param: 'metadata.count' });
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, index]));
    expect(refusal(() => decodeCreateVectorStoreFile('vs', { file_id: 'f', attributes: seventeen }))).toMatchObject({ code: 'invalid_value', param: 'attributes' });
    expect(refusal(() => decodeCreateVectorStoreFile('vs', { file_id: 'f', attributes: { tags: ['a'] } }))).toMatchObject({ param: 'attributes.tags' });
    expect(decodeCreateVectorStoreFile('vs', { file_id: 'f', attributes: null })).toEqual({ op: 'store-file.create', storeId: 'vs', file: { fileId: 'f' } });
    expect(decodeUpdateVectorStoreFile('vs', 'f', { attributes: { n: 1.5, ok: false } })).toEqual({ op: 'store-file.update', storeId: 'vs', fileId: 'f', attributes: { n: 1.5, ok: false } });
  });

  it('decodes batches: shared settings with file_ids, per-file settings with files', () => {
    expect(decodeCreateFileBatch('vs', { file_ids: ['a'], attributes: null })).toEqual({ op: 'batch.create', storeId: 'vs', files: [{ fileId: 'a' }] });
    expect(decodeCreateFileBatch('vs', { files: [{ file_id: 'a', attributes: { x: 1 } }], chunking_strategy: { type: 'auto' } })).toEqual({ op: 'batch.create', storeId: 'vs', files: [{ fileId: 'a', attributes: { x: 1 } }] });
    expect(refusal(() => decodeCreateFileBatch('vs', { file_ids: [] }))).toMatchObject({ code: 'invalid_value', param: 'file_ids' });
    expect(refusal(() => decodeCreateFileBatch('vs', { files: [{ id: 'a' }] }))).toMatchObject({ code: 'missing_required_parameter', param: 'files[0].file_id' });
  });

  it('decodes a search: one query or several, filters with `eq` as the default type', () => {
    const operation = decodeSearchVectorStore('vs', { query: 'q', filters: { type: 'nin', key: 'tier', value: ['free'] }, ranking_options: { ranker: 'none' }, rewrite_query: true });
    expect(operation).toEqual({ op: 'store.search', storeId: 'vs', search: { queries: ['q'], maxResults: 10, filter: { type: 'nin', key: 'tier', value: ['free'] } } });
    knowledgeOperationSchema.parse(operation);
    expect(decodeSearchVectorStore('vs', { query: 'q', filters: { key: 'lang', value: 'en' } }).search.filter).toEqual({ type: 'eq', key: 'lang', value: 'en' });
    expect(refusal(() => decodeSearchVectorStore('vs', { query: 'q', filters: { type: 'eq', key: 'a', value: 1, extra: 1 } }))).toMatchObject({ code: 'unknown_parameter', param: 'filters.extra' });
    expect(refusal(() => decodeSearchVectorStore('vs', { query: 'q', filters: { type: 'and', filters: [] } }))).toMatchObject({ code: 'invalid_value', param: 'filters.filters' });
    expect(refusal(() => decodeSearchVectorStore('vs', { query: 'q', filters: { type: 'xor', key: 'a', value: 1 } }))).toMatchObject({ code: 'invalid_value', param: 'filters.type' });
    expect(refusal(() => decodeSearchVectorStore('vs', { query: ['ok', ''] }))).toMatchObject({ param: 'query[1]' });
    expect(refusal(() => decodeSearchVectorStore('vs', { query: 'q', ranking_options: { ranker: 'best' } }))).toMatchObject({ param: 'ranking_options.ranker' });
    expect(refusal(() => decodeSearchVectorStore('vs', null))).toMatchObject({ code: 'invalid_type', param: null });
  });

  it('takes ids from the path, refusing empty ones', () => {
    expect(decodeFileRequest('file.content', 'file-1')).toEqual({ op: 'file.content', fileId: 'file-1' });
    expect(decodeVectorStoreRequest('store.delete', 'vs')).toEqual({ op: 'store.delete', storeId: 'vs' });
    expect(decodeVectorStoreFileRequest('store-file.get', 'vs', 'f')).toEqual({ op: 'store-file.get', storeId: 'vs', fileId: 'f' });
    expect(decodeFileBatchRequest('batch.cancel', 'vs', 'b')).toEqual({ op: 'batch.cancel', storeId: 'vs', batchId: 'b' });
    expect(decodeMemorySessionRequest('session.delete', 's-1')).toEqual({ op: 'session.delete', sessionId: 's-1' });
    expect(refusal(() => decodeFileRequest('file.get', ''))).toMatchObject({ code: 'missing_required_parameter', param: 'file_id' });
    expect(refusal(() => decodeFileBatchRequest('batch.get', 'vs', ''))).toMatchObject({ param: 'batch_id' });
    expect(refusal(() => decodeMemorySessionRequest('session.get', 's'.repeat(257)))).toMatchObject({ code: 'invalid_value', param: 'session_id' });
  });
});
