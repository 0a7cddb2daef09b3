import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKnowledge } from '@ailb/shared/runtime';
import { eventually } from '@ailb/testkit';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * Tenancy end to end: two API keys of two tenants, through the HTTP API and the official openai SDK,
 * against the embedded default with its real embedder and Chroma. What one tenant creates — files,
 * vector stores, memory sessions — the other can neither list, read, search nor delete.
 */
const MASTER = 'tenancy-master-key-0123456789abcdef';
let gateway: GatewayUnderTest;
let dataDir: string;
const clients: Record<'acme' | 'beta', OpenAI> = {} as never;
const secrets: Record<string, string> = {};

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const sessionStatus = async (tenant: 'acme' | 'beta', id: string) => (await fetch(`${gateway.server.url}/v1/memory/sessions/${id}`, { headers: { authorization: `Bearer ${secrets[tenant]}` } })).status;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ailb-tenancy-'));
  gateway = await startGatewayUnderTest('in-process', { knowledge: resolveKnowledge({ AILB_DATA_DIR: dataDir }, {}), auth: { masterKey: MASTER, protectOps: false, keys: [] } });
  await gateway.server.embedderReady;
  for (const tenant of ['acme', 'beta'] as const) {
    const response = await fetch(`${gateway.server.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: tenant, tenant }) });
    secrets[tenant] = ((await response.json()) as { key: string }).key;
    clients[tenant] = new OpenAI({ baseURL: `${gateway.server.url}/v1`, apiKey: secrets[tenant], maxRetries: 0 });
  }
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two keys of two tenants', () => {
  it("never see each other's files, vector stores or memory sessions", async () => {
    const { acme, beta } = clients;
    const file = await acme.files.create({ file: await toFile(Buffer.from('# Acme secrets\n\nThe launch code word is marmalade.'), 'acme.md'), purpose: 'assistants' });
    const store = await acme.vectorStores.create({ name: 'acme-kb' });
    await acme.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 200 });
    await acme.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'Remember: my favourite colour is teal.' }], session_id: 'shared-name' } as never);
    await eventually(async () => expect(await sessionStatus('acme', 'shared-name')).toBe(200), { timeoutMs: 10_000, intervalMs: 100 });

    // The owner sees everything.
    expect((await acme.files.list()).data.map((entry) => entry.id)).toContain(file.id);
    expect((await acme.vectorStores.search(store.id, { query: 'launch code word' })).data[0]?.file_id).toBe(file.id);

    // The other tenant: nothing listed, and every id is unknown (404), whatever it tries.
    expect((await beta.files.list()).data).toEqual([]);
    expect((await beta.vectorStores.list()).data).toEqual([]);
    const attempts: Array<() => Promise<unknown>> = [
      () => beta.files.retrieve(file.id),
      () => beta.files.content(file.id),
      () => beta.files.delete(file.id),
      () => beta.vectorStores.retrieve(store.id),
      async () => beta.vectorStores.search(store.id, { query: 'launch code word' }),
      async () => beta.vectorStores.files.list(store.id),
      () => beta.vectorStores.delete(store.id),
    ];
    for (const attempt of attempts) expect(await failureOf(attempt())).toMatchObject({ status: 404 });
    expect(await sessionStatus('beta', 'shared-name')).toBe(404);
    // RAG over the other tenant's store is refused the same way, not answered from it.
    expect(await failureOf(beta.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'code word?' }], rag_collection: 'acme-kb' } as never))).toMatchObject({ status: 404 });

    // Nothing the other tenant tried changed the owner's data.
    expect((await acme.files.retrieve(file.id)).id).toBe(file.id);
    expect((await acme.vectorStores.retrieve(store.id)).file_counts.completed).toBe(1);
    expect(await sessionStatus('acme', 'shared-name')).toBe(200);
  }, 90_000);
});
