import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_TENANT } from '@ailb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedderUnderTest, type EmbedderUnderTest } from './support/embedder-under-test.js';

/*
 * The retrieval targets measured on the production path: the help-center QA set
 * (embedder/test/fixtures/knowledge-base) uploaded as files, ingested by the embedder into a real Chroma,
 * and searched with the vector store search the API serves. Held-out questions only (they were never
 * used for tuning). embedder/test/retrieval-quality.test.ts compares the same set with dense-only search.
 */

const FIXTURES = new URL('../../embedder/test/fixtures/knowledge-base/', import.meta.url);
const heldOut = JSON.parse(readFileSync(new URL('questions/held-out.json', FIXTURES), 'utf8')) as Array<{ question: string; documentId: string }>;

let embedder: EmbedderUnderTest;
let storeId: string;

beforeAll(async () => {
  embedder = await startEmbedderUnderTest();
  const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.md')).sort();
  const files = [];
  for (const name of names) files.push(await embedder.upload(DEFAULT_TENANT, name, readFileSync(new URL(name, FIXTURES), 'utf8')));
  const store = await embedder.run(DEFAULT_TENANT, { op: 'store.create', name: 'quillpad', description: null, files: files.map((file) => ({ fileId: file.id })), metadata: null, expiresAfterDays: null });
  storeId = store.id;
  const settled = await embedder.settled(DEFAULT_TENANT, storeId, 180_000);
  expect(settled.fileCounts).toMatchObject({ completed: names.length, failed: 0 });
}, 240_000);
afterAll(() => embedder?.close());

describe('retrieval quality through the vector store search', () => {
  it('reaches recall@3 ≥ 0.95 and recall@1 ≥ 0.80 on the held-out questions', async () => {
    let at1 = 0;
    let at3 = 0;
    for (const { question, documentId } of heldOut) {
      const { hits } = await embedder.run(DEFAULT_TENANT, { op: 'store.search', storeId, search: { queries: [question], maxResults: 10 } });
      const documents = [...new Set(hits.map((hit) => hit.filename.replace(/\.md$/, '')))];
      const position = documents.indexOf(documentId);
      if (position === 0) at1++;
      if (position >= 0 && position < 3) at3++;
    }
    const recall = { at1: at1 / heldOut.length, at3: at3 / heldOut.length };
    console.log(`held-out questions: ${heldOut.length}; production search recall@1 ${recall.at1.toFixed(3)}, recall@3 ${recall.at3.toFixed(3)}`);
    expect(recall.at3).toBeGreaterThanOrEqual(0.95);
    expect(recall.at1).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
