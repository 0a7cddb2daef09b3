import { GatewayError, knowledgeOperationSchema, type MemoryTurn } from '@ailb/shared';
import {
  deleteFileResponseSchema,
  errorResponseSchema,
  listFilesResponseSchema,
  memorySessionDeletedSchema,
  memorySessionSchema,
  openAIFileSchema,
} from '@ailb/shared/openai-knowledge';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectValid, fileBatch, multipartForm, startWithStandInEmbedder, storedFile, TEST_MAX_FILE_BYTES, vectorStoreFile, type StandInEmbedder } from './support/stand-in-embedder.js';

/*
 * The Files API and memory sessions of the OpenAI route group, through app.inject() against a
 * stand-in embedder: what each route asks the embedder (the neutral operation), what it answers
 * (validated against OpenAI's OpenAPI-derived schemas), and the errors of the edge.
 */

let embedder: StandInEmbedder;
beforeEach(async () => {
  embedder = await startWithStandInEmbedder();
});
afterEach(async () => {
  await embedder.close();
});

const upload = async (entries: Parameters<typeof multipartForm>[0]) => embedder.app.inject({ method: 'POST', url: '/v1/files', ...(await multipartForm(entries)) });
const markdown = { filename: 'guide.md', content: '# Guide\nUse it.' };

describe('POST /v1/files', () => {
  it('stores a Markdown upload through the embedder and answers a processed `file`', async () => {
    embedder.answer = () => storedFile;
    const response = await upload([['file', markdown], ['purpose', 'assistants']]);
    expect(response.statusCode).toBe(200);
    expect(embedder.operations).toEqual([{ op: 'file.create', filename: 'guide.md', purpose: 'assistants', mediaType: 'text/markdown', contentBase64: Buffer.from(markdown.content).toString('base64') }]);
    knowledgeOperationSchema.parse(embedder.operations[0]);
    expect(embedder.tenants).toEqual(['default']);
    expectValid(openAIFileSchema, response.json());
    expect(response.json()).toEqual({ id: 'file-abc', object: 'file', bytes: 12, created_at: 1_700_000_000, filename: 'guide.md', purpose: 'assistants', status: 'processed' });
  });

  it('reads the type from the extension, else from a text content type, and accepts user_data', async () => {
    embedder.answer = () => storedFile;
    await upload([['purpose', 'user_data'], ['file', { filename: 'page.HTM', content: '<p>x</p>' }]]);
    await upload([['purpose', 'assistants'], ['file', { filename: 'data', type: 'application/json', content: '{"a":1}' }]]);
    await upload([['purpose', 'assistants'], ['file', { filename: 'notes.csv', type: 'text/csv', content: 'a,b' }]]);
    expect(embedder.operations.map((operation) => (operation.op === 'file.create' ? [operation.purpose, operation.mediaType] : null))).toEqual([
      ['user_data', 'text/html'],
      ['assistants', 'application/json'],
      ['assistants', 'text/plain'],
    ]);
  });

  it('refuses what it cannot keep as text, naming the field, before the embedder is asked', async () => {
    const cases: Array<[Parameters<typeof multipartForm>[0], number, string, string]> = [
      [[['file', { filename: 'scan.pdf', type: 'application/pdf', content: '%PDF-1.7' }], ['purpose', 'assistants']], 400, 'unsupported_file', 'file'],
      [[['file', { filename: 'bytes.txt', content: new Uint8Array([0xff, 0xfe, 0x41]) }], ['purpose', 'assistants']], 400, 'unsupported_file', 'file'],
      [[['file', markdown], ['purpose', 'fine-tune']], 400, 'unsupported_value', 'purpose'],
      [[['file', markdown], ['purpose', 'everything']], 400, 'invalid_value', 'purpose'],
      [[['file', markdown]], 400, 'missing_required_parameter', 'purpose'],
      [[['purpose', 'assistants']], 400, 'missing_required_parameter', 'file'],
      [[['file', 'just text'], ['purpose', 'assistants']], 400, 'invalid_type', 'file'],
      [[['file', markdown], ['purpose', 'assistants'], ['colour', 'blue']], 400, 'unknown_parameter', 'colour'],
      [[['file', { filename: 'empty.txt', content: '' }], ['purpose', 'assistants']], 400, 'invalid_value', 'file'],
    ];
    for (const [entries, status, code, param] of cases) {
      const response = await upload(entries);
      expect({ status: response.statusCode, ...response.json().error }).toMatchObject({ status, code, param });
      expectValid(errorResponseSchema, response.json());
    }
    expect(embedder.operations).toEqual([]);
  });

  it('answers 413 for a file over files.max_bytes, whether or not the length was declared up front', async () => {
    const justOver = await upload([['file', { filename: 'big.txt', content: 'x'.repeat(TEST_MAX_FILE_BYTES + 1) }], ['purpose', 'assistants']]);
    expect(justOver.statusCode).toBe(413);
    expect(justOver.json().error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error', param: 'file' });
    const huge = await upload([['file', { filename: 'huge.txt', content: 'x'.repeat(200 * 1024) }], ['purpose', 'assistants']]);
    expect(huge.statusCode).toBe(413);
    embedder.answer = () => storedFile;
    expect((await upload([['file', { filename: 'max.txt', content: 'x'.repeat(TEST_MAX_FILE_BYTES) }], ['purpose', 'assistants']])).statusCode).toBe(200);
    expect(embedder.operations).toHaveLength(1);
  });

  it('refuses a JSON body: an upload is multipart', async () => {
    const response = await embedder.app.inject({ method: 'POST', url: '/v1/files', payload: { purpose: 'assistants' } });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });
});

describe('GET and DELETE /v1/files', () => {
  it('lists with OpenAI’s defaults (limit 10000, desc) and the query given', async () => {
    embedder.answer = () => ({ items: [storedFile, { ...storedFile, id: 'file-def' }], hasMore: true });
    const all = await embedder.app.inject({ url: '/v1/files' });
    const some = await embedder.app.inject({ url: '/v1/files?purpose=assistants&limit=2&order=asc&after=file-0' });
    expect(embedder.operations).toEqual([
      { op: 'file.list', page: { limit: 10_000, order: 'desc' } },
      { op: 'file.list', purpose: 'assistants', page: { limit: 2, order: 'asc', after: 'file-0' } },
    ]);
    expectValid(listFilesResponseSchema, some.json());
    expect(all.json()).toMatchObject({ object: 'list', first_id: 'file-abc', last_id: 'file-def', has_more: true });
  });

  it('names the bad query param', async () => {
    expect((await embedder.app.inject({ url: '/v1/files?limit=0' })).json().error).toMatchObject({ code: 'invalid_value', param: 'limit' });
    expect((await embedder.app.inject({ url: '/v1/files?limit=ten' })).json().error).toMatchObject({ code: 'invalid_type', param: 'limit' });
    expect((await embedder.app.inject({ url: '/v1/files?before=file-1' })).json().error).toMatchObject({ code: 'unknown_parameter', param: 'before' });
    expect(embedder.operations).toEqual([]);
  });

  it('retrieves, sends back the raw bytes and deletes one file', async () => {
    embedder.answer = (operation) => {
      if (operation.op === 'file.content') return { file: storedFile, contentBase64: Buffer.from('# Guide').toString('base64') };
      return operation.op === 'file.delete' ? { id: operation.fileId } : storedFile;
    };
    expectValid(openAIFileSchema, (await embedder.app.inject({ url: '/v1/files/file-abc' })).json());
    const content = await embedder.app.inject({ url: '/v1/files/file-abc/content' });
    expect(content.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(content.body).toBe('# Guide');
    const deleted = await embedder.app.inject({ method: 'DELETE', url: '/v1/files/file-abc' });
    expectValid(deleteFileResponseSchema, deleted.json());
    expect(deleted.json()).toEqual({ id: 'file-abc', object: 'file', deleted: true });
    expect(embedder.operations).toEqual([
      { op: 'file.get', fileId: 'file-abc' },
      { op: 'file.content', fileId: 'file-abc' },
      { op: 'file.delete', fileId: 'file-abc' },
    ]);
  });

  it('passes the embedder’s 404 through in OpenAI’s envelope, for reads and deletes alike', async () => {
    embedder.answer = (operation) => {
      throw new GatewayError('not_found', `No such File object: ${'fileId' in operation ? operation.fileId : '?'}`, { param: 'file_id' });
    };
    for (const request of [{ url: '/v1/files/file-nope' }, { method: 'DELETE' as const, url: '/v1/files/file-nope' }, { url: '/v1/files/file-nope/content' }]) {
      const response = await embedder.app.inject(request);
      expect(response.statusCode).toBe(404);
      expectValid(errorResponseSchema, response.json());
      expect(response.json()).toEqual({ error: { message: 'No such File object: file-nope', type: 'invalid_request_error', param: 'file_id', code: 'not_found' } });
    }
  });
});

describe('memory sessions', () => {
  const turn = (user: string, createdAt: number): MemoryTurn => ({ user, assistant: `re: ${user}`, model: 'm-2024', provider: 'p', usage: { inputTokens: 3, outputTokens: 2 }, createdAt });

  it('shows a session’s turns oldest first, times in seconds', async () => {
    embedder.answer = () => ({ sessionId: 's-1', turns: [turn('second', 1_700_000_002_500), { ...turn('first', 1_700_000_001_000), usage: null }] });
    const response = await embedder.app.inject({ url: '/v1/memory/sessions/s-1' });
    expect(embedder.operations).toEqual([{ op: 'session.get', sessionId: 's-1' }]);
    expectValid(memorySessionSchema, response.json());
    expect(response.json()).toEqual({
      object: 'memory.session',
      id: 's-1',
      turns: [
        { user: 'first', assistant: 're: first', model: 'm-2024', provider: 'p', usage: null, created_at: 1_700_000_001 },
        { user: 'second', assistant: 're: second', model: 'm-2024', provider: 'p', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, created_at: 1_700_000_002 },
      ],
    });
  });

  it('deletes a session, and passes a 404 for an unknown one through', async () => {
    embedder.answer = () => ({ sessionId: 's-1', deletedTurns: 4 });
    const deleted = await embedder.app.inject({ method: 'DELETE', url: '/v1/memory/sessions/s-1' });
    expectValid(memorySessionDeletedSchema, deleted.json());
    expect(deleted.json()).toEqual({ id: 's-1', object: 'memory.session.deleted', deleted: true });
    embedder.answer = () => {
      throw new GatewayError('not_found', 'No memory session s-2.', { param: 'session_id' });
    };
    const unknown = await embedder.app.inject({ method: 'DELETE', url: '/v1/memory/sessions/s-2' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'not_found', param: 'session_id' });
  });
});

describe('without an embedder', () => {
  it('answers 503 no_embedder_available at once, asking nobody', async () => {
    await embedder.state.deregister('embedder', 'e1');
    const response = await embedder.app.inject({ url: '/v1/vector_stores' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().error).toMatchObject({ code: 'no_embedder_available', type: 'service_unavailable_error' });
    expect(embedder.operations).toEqual([]);
  });
});

describe('the official openai SDK over a socket', () => {
  let client: OpenAI;
  beforeEach(async () => {
    await embedder.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = embedder.app.server.address() as AddressInfo;
    client = new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  });

  it('uploads a file, reads it back and searches a store', async () => {
    embedder.answer = (operation) => {
      if (operation.op === 'file.create') return { ...storedFile, filename: operation.filename, bytes: Buffer.from(operation.contentBase64, 'base64').length };
      if (operation.op === 'file.content') return { file: storedFile, contentBase64: Buffer.from('# Guide').toString('base64') };
      if (operation.op === 'store.search') return { queries: operation.search.queries, hits: [{ fileId: 'file-abc', filename: 'guide.md', score: 0.9, attributes: { lang: 'en' }, text: 'Use it.' }] };
      throw new GatewayError('not_found', 'unexpected');
    };
    const file = await client.files.create({ file: await toFile(Buffer.from('# Guide\nUse it.'), 'guide.md'), purpose: 'assistants' });
    expect(file).toMatchObject({ id: 'file-abc', filename: 'guide.md', bytes: 15, status: 'processed' });
    expect(await (await client.files.content(file.id)).text()).toBe('# Guide');
    const page = await client.vectorStores.search('vs_1', { query: 'how to use', filters: { type: 'eq', key: 'lang', value: 'en' }, max_num_results: 3 });
    expect(page.data).toEqual([{ file_id: 'file-abc', filename: 'guide.md', score: 0.9, attributes: { lang: 'en' }, content: [{ type: 'text', text: 'Use it.' }] }]);
    expect(embedder.operations.at(-1)).toEqual({ op: 'store.search', storeId: 'vs_1', search: { queries: ['how to use'], maxResults: 3, filter: { type: 'eq', key: 'lang', value: 'en' } } });
  });

  it('drives the polling helpers and a body-less cancel', async () => {
    embedder.answer = (operation) => {
      switch (operation.op) {
        case 'file.create':
          return { ...storedFile, id: `file-${operation.filename}` };
        case 'store-file.create':
          return { ...vectorStoreFile, fileId: operation.file.fileId, status: 'in_progress', lastError: null };
        case 'store-file.get':
          return { ...vectorStoreFile, fileId: operation.fileId, status: 'completed', lastError: null };
        case 'batch.create':
          return fileBatch;
        case 'batch.get':
          return { ...fileBatch, status: 'completed', fileCounts: { inProgress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 } };
        case 'batch.cancel':
          return { ...fileBatch, status: 'cancelled' };
        default:
          throw new GatewayError('not_found', 'unexpected');
      }
    };
    const added = await client.vectorStores.files.createAndPoll('vs_1', { file_id: 'file-abc', attributes: { lang: 'en' } });
    expect(added).toMatchObject({ id: 'file-abc', status: 'completed' });
    const batch = await client.vectorStores.fileBatches.uploadAndPoll('vs_1', { files: [await toFile(Buffer.from('a'), 'a.md'), await toFile(Buffer.from('b'), 'b.txt')] });
    expect(batch).toMatchObject({ id: 'vsfb_1', status: 'completed', file_counts: { completed: 2, total: 2 } });
    const cancelled = await client.vectorStores.fileBatches.cancel('vsfb_1', { vector_store_id: 'vs_1' });
    expect(cancelled.status).toBe('cancelled');
    // The helper uploads concurrently: the batch lists the files in the order their uploads finished.
    const batchCreate = embedder.operations.find((operation) => operation.op === 'batch.create');
    expect(batchCreate).toMatchObject({ op: 'batch.create', storeId: 'vs_1' });
    expect(batchCreate?.op === 'batch.create' && batchCreate.files.map((file) => file.fileId).sort()).toEqual(['file-a.md', 'file-b.txt']);
  });
});
