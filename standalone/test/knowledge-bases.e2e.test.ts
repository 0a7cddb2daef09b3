import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT, GatewayError } from '@ailb/shared';
import { TransformersModel } from '@ailb/embedder';
import { writeTinyEmbeddingModel } from '@ailb/testkit/tiny-embedding-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedderUnderTest, type EmbedderUnderTest } from './support/embedder-under-test.js';

/*
 * Knowledge bases in the embedder, through the gateway's client, over a real Chroma started from the
 * npm package: files, vector stores, ingestion, hybrid search with filters, tenancy, batches, and a
 * store that refuses another embedding model after a restart.
 */

const articles: Record<string, string> = {
  'refunds.md': '# Refunds\n\nAnnual plans can be refunded in full within 30 days of purchase. Monthly plans are not refunded; cancel before the next billing date.',
  'passwords.md': '# Resetting your password\n\nUse "Forgot password" on the sign-in page. We email a reset link that works for one hour.',
  'exports.md': '# Exporting notes\n\nYou can export every notebook as Markdown or PDF from Settings → Export. Large exports arrive by email.',
  'guests.md': '# Guests\n\nInvite guests to a single notebook. Guests can comment but cannot edit unless you make them members.',
};

const other = 'tenant-b';
let embedder: EmbedderUnderTest;
const fileIds: Record<string, string> = {};
let storeId: string;

const failure = async (promise: Promise<unknown>) => (await promise.then(() => undefined, (error: unknown) => error)) as GatewayError;

beforeAll(async () => {
  embedder = await startEmbedderUnderTest();
  for (const [name, text] of Object.entries(articles)) fileIds[name] = (await embedder.upload(DEFAULT_TENANT, name, text)).id;
  const store = await embedder.run(DEFAULT_TENANT, {
    op: 'store.create',
    name: 'help-center',
    description: null,
    files: Object.entries(fileIds).map(([name, fileId]) => ({ fileId, attributes: { topic: name === 'refunds.md' ? 'billing' : 'product', year: name === 'guests.md' ? 2026 : 2025 } })),
    metadata: { team: 'support' },
    expiresAfterDays: null,
  });
  expect(store.status).toBe('in_progress');
  storeId = store.id;
  const settled = await embedder.settled(DEFAULT_TENANT, storeId);
  expect(settled).toMatchObject({ status: 'completed', fileCounts: { completed: 4, total: 4, inProgress: 0, failed: 0 }, embeddingModel: 'use-lite', dimensions: 512 });
  expect(settled.usageBytes).toBeGreaterThan(300);
}, 120_000);
afterAll(() => embedder?.close());

describe('files', () => {
  it('keeps the exact bytes, lists newest first with cursors, and refuses what is not text', async () => {
    const file = await embedder.run(DEFAULT_TENANT, { op: 'file.content', fileId: fileIds['refunds.md']! });
    expect(Buffer.from(file.contentBase64, 'base64').toString()).toBe(articles['refunds.md']);
    const first = await embedder.run(DEFAULT_TENANT, { op: 'file.list', page: { limit: 2, order: 'desc' } });
    expect(first.items.map((item) => item.filename)).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const rest = await embedder.run(DEFAULT_TENANT, { op: 'file.list', page: { limit: 10, order: 'desc', after: first.items[1]!.id } });
    expect(new Set([...first.items, ...rest.items].map((item) => item.id))).toEqual(new Set(Object.values(fileIds)));
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f]).toString('base64');
    expect(await failure(embedder.run(DEFAULT_TENANT, { op: 'file.create', filename: 'x.txt', purpose: 'assistants', mediaType: 'text/plain', contentBase64: binary }))).toMatchObject({ code: 'unsupported_file', status: 400 });
  });
});

describe('search', () => {
  it('finds the passage a paraphrased question needs, scores in [0, 1] best first', async () => {
    const { hits } = await embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: ['can I get my money back for a yearly subscription?'], maxResults: 4 } });
    expect(hits[0]).toMatchObject({ filename: 'refunds.md', fileId: fileIds['refunds.md'], attributes: { topic: 'billing', year: 2025 } });
    expect(hits[0]!.text).toContain('refunded in full within 30 days');
    for (const [index, hit] of hits.entries()) {
      expect(hit.score).toBeGreaterThanOrEqual(0);
      expect(hit.score).toBeLessThanOrEqual(1);
      if (index > 0) expect(hit.score).toBeLessThanOrEqual(hits[index - 1]!.score);
    }
  });

  it('applies attribute filters and the score threshold', async () => {
    const search = (filter: object, scoreThreshold?: number) =>
      embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: ['refund'], maxResults: 10, filter: filter as never, ...(scoreThreshold === undefined ? {} : { scoreThreshold }) } });
    expect((await search({ type: 'eq', key: 'topic', value: 'product' })).hits.map((hit) => hit.filename)).not.toContain('refunds.md');
    expect((await search({ type: 'and', filters: [{ type: 'eq', key: 'topic', value: 'product' }, { type: 'gte', key: 'year', value: 2026 }] })).hits.map((hit) => hit.filename)).toEqual(['guests.md']);
    expect((await search({ type: 'or', filters: [{ type: 'eq', key: 'topic', value: 'billing' }, { type: 'eq', key: 'year', value: 2026 }] })).hits.map((hit) => hit.filename).sort()).toEqual(['guests.md', 'refunds.md']);
    const all = (await search({ type: 'ne', key: 'topic', value: 'none' })).hits;
    const strict = (await search({ type: 'ne', key: 'topic', value: 'none' }, all[0]!.score)).hits;
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every((hit) => hit.score >= all[0]!.score)).toBe(true);
  });

  it('finds a store by name for RAG, and a file removed from the store no longer comes back', async () => {
    const context = await embedder.client.retrieveContext(DEFAULT_TENANT, { query: 'how long does the password reset link work?', rag: { store: 'help-center', topK: 2 } }, 10_000);
    expect(context.rag).toMatchObject({ storeId, chunks: [{ filename: 'passwords.md' }, {}] });
    await embedder.run(DEFAULT_TENANT, { op: 'store-file.delete', storeId, fileId: fileIds['passwords.md']! });
    const { hits } = await embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: ['password reset link'], maxResults: 10 } });
    expect(hits.map((hit) => hit.filename)).not.toContain('passwords.md');
    expect((await embedder.run(DEFAULT_TENANT, { op: 'store.get', storeId })).fileCounts.total).toBe(3);
    // Deleting the file itself takes it out of every store.
    await embedder.run(DEFAULT_TENANT, { op: 'file.delete', fileId: fileIds['guests.md']! });
    expect((await embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: ['invite guests'], maxResults: 10 } })).hits.map((hit) => hit.filename)).not.toContain('guests.md');
    expect(await failure(embedder.run(DEFAULT_TENANT, { op: 'file.get', fileId: fileIds['guests.md']! }))).toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('tenancy', () => {
  it('never shows one tenant another tenant’s files, stores or search results', async () => {
    expect(await failure(embedder.run(other, { op: 'file.get', fileId: fileIds['refunds.md']! }))).toMatchObject({ code: 'not_found' });
    expect(await failure(embedder.run(other, { op: 'store.get', storeId }))).toMatchObject({ code: 'not_found' });
    expect(await failure(embedder.run(other, { op: 'store.search', storeId, search: { queries: ['refund'], maxResults: 3 } }))).toMatchObject({ code: 'not_found' });
    expect((await embedder.run(other, { op: 'file.list', page: { limit: 100, order: 'asc' } })).items).toEqual([]);
    expect(await failure(embedder.client.retrieveContext(other, { query: 'refund', rag: { store: 'help-center', topK: 2 } }, 10_000))).toMatchObject({ code: 'not_found', param: 'rag_collection' });
  });
});

describe('batches', () => {
  it('ingests a batch, counts its files, and updates attributes on every chunk', async () => {
    const id = (await embedder.upload(DEFAULT_TENANT, 'exports-2.md', '# Exports\n\nExports of shared notebooks include comments.')).id;
    const batch = await embedder.run(DEFAULT_TENANT, { op: 'batch.create', storeId, files: [{ fileId: id }], attributes: { topic: 'product' } });
    expect(batch).toMatchObject({ vectorStoreId: storeId, fileCounts: { total: 1 } });
    await embedder.settled(DEFAULT_TENANT, storeId);
    expect(await embedder.run(DEFAULT_TENANT, { op: 'batch.get', storeId, batchId: batch.id })).toMatchObject({ status: 'completed', fileCounts: { completed: 1, total: 1 } });
    const listed = await embedder.run(DEFAULT_TENANT, { op: 'store-file.list', storeId, batchId: batch.id, page: { limit: 10, order: 'asc' } });
    expect(listed.items.map((file) => file.fileId)).toEqual([id]);
    await embedder.run(DEFAULT_TENANT, { op: 'store-file.update', storeId, fileId: id, attributes: { topic: 'archive' } });
    const { hits } = await embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: ['exports of shared notebooks'], maxResults: 10, filter: { type: 'eq', key: 'topic', value: 'archive' } } });
    expect(hits.map((hit) => hit.fileId)).toEqual([id]);
  });
});

describe('a store and another embedding model', () => {
  it('keeps its data across a restart and refuses a model that did not build it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ailb-model-switch-'));
    const modelDir = mkdtempSync(join(tmpdir(), 'ailb-tiny-model-'));
    try {
      const first = await startEmbedderUnderTest({ dataDir });
      const fileId = (await first.upload(DEFAULT_TENANT, 'a.md', '# A\n\nAlpha text.')).id;
      const created = await first.run(DEFAULT_TENANT, { op: 'store.create', name: 'kept', description: null, files: [{ fileId }], metadata: null, expiresAfterDays: null });
      await first.settled(DEFAULT_TENANT, created.id);
      await first.close();

      writeTinyEmbeddingModel(modelDir);
      const second = await startEmbedderUnderTest({ dataDir, model: new TransformersModel({ model: modelDir }) });
      try {
        expect(await second.run(DEFAULT_TENANT, { op: 'store.get', storeId: created.id })).toMatchObject({ status: 'completed', embeddingModel: 'use-lite' });
        expect(await failure(second.run(DEFAULT_TENANT, { op: 'store.search', storeId: created.id, search: { queries: ['alpha'], maxResults: 1 } }))).toMatchObject({ code: 'embedding_model_mismatch', status: 409 });
        const added = (await second.upload(DEFAULT_TENANT, 'b.md', '# B\n\nBeta text.')).id;
        await second.run(DEFAULT_TENANT, { op: 'store-file.create', storeId: created.id, file: { fileId: added } });
        await second.settled(DEFAULT_TENANT, created.id);
        expect(await second.run(DEFAULT_TENANT, { op: 'store-file.get', storeId: created.id, fileId: added })).toMatchObject({ status: 'failed', lastError: { code: 'server_error', message: expect.stringContaining('use-lite') } });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(modelDir, { recursive: true, force: true });
    }
  }, 120_000);
});
