import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKnowledge } from '@ailb/shared/runtime';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * Knowledge bases and RAG through the HTTP API with the official openai SDK, against the embedded
 * default (gateway, worker and embedder in one process, the embedder's own Chroma from the npm
 * package) in front of the simulated provider.
 */

const FIXTURES = new URL('../../embedder/test/fixtures/knowledge-base/', import.meta.url);
const corpus = ['refund-policy.md', 'cancel-subscription.md', 'reset-password.md', 'two-factor-authentication.md', 'export-and-backup.md', 'sharing-and-guests.md'];

let gateway: GatewayUnderTest;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ailb-knowledge-api-'));
  gateway = await startGatewayUnderTest('in-process', { knowledge: resolveKnowledge({ AILB_DATA_DIR: dataDir }, {}) });
  await gateway.server.embedderReady;
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the official openai SDK against AILB', () => {
  let storeId: string;

  it('uploads a Markdown corpus with fileBatches.uploadAndPoll and searches it', async () => {
    const { client } = gateway;
    const store = await client.vectorStores.create({ name: 'help-center', metadata: { team: 'support' } });
    expect(store).toMatchObject({ object: 'vector_store', name: 'help-center', status: 'completed', file_counts: { total: 0 } });
    storeId = store.id;
    const files = await Promise.all(corpus.map((name) => toFile(readFileSync(new URL(name, FIXTURES)), name, { type: 'text/markdown' })));
    const batch = await client.vectorStores.fileBatches.uploadAndPoll(storeId, { files }, { pollIntervalMs: 200 });
    expect(batch).toMatchObject({ object: 'vector_store.files_batch', status: 'completed', file_counts: { completed: corpus.length, failed: 0, in_progress: 0, total: corpus.length } });
    const listed = await client.vectorStores.files.list(storeId, { filter: 'completed', limit: 100 });
    expect(listed.data).toHaveLength(corpus.length);
    expect((await client.vectorStores.retrieve(storeId)).usage_bytes).toBeGreaterThan(1000);

    const page = await client.vectorStores.search(storeId, { query: 'how do I get my money back for an annual plan?', max_num_results: 5 });
    const results = page.data;
    expect(results[0]).toMatchObject({ filename: 'refund-policy.md', content: [{ type: 'text', text: expect.stringContaining('refund') }] });
    for (let index = 1; index < results.length; index++) expect(results[index]!.score).toBeLessThanOrEqual(results[index - 1]!.score);
    expect(results.every((result) => result.score >= 0 && result.score <= 1)).toBe(true);
  }, 120_000);

  it('adds a file with files.createAndPoll, filters on attributes, and a deleted file leaves the results', async () => {
    const { client } = gateway;
    const file = await client.files.create({ file: await toFile(Buffer.from('# Office plants\n\nWater the office ficus every Tuesday. The cactus needs water once a month.'), 'plants.md'), purpose: 'assistants' });
    expect(file).toMatchObject({ object: 'file', filename: 'plants.md', purpose: 'assistants', bytes: expect.any(Number) });
    const added = await client.vectorStores.files.createAndPoll(storeId, { file_id: file.id, attributes: { category: 'facilities', floor: 3 } }, { pollIntervalMs: 200 });
    expect(added).toMatchObject({ object: 'vector_store.file', status: 'completed', last_error: null, attributes: { category: 'facilities', floor: 3 } });

    const filtered = await client.vectorStores.search(storeId, { query: 'when should the plants be watered?', filters: { type: 'eq', key: 'category', value: 'facilities' } });
    expect(filtered.data.map((result) => result.file_id)).toEqual([file.id]);
    const none = await client.vectorStores.search(storeId, { query: 'when should the plants be watered?', filters: { type: 'gt', key: 'floor', value: 3 } });
    expect(none.data).toEqual([]);
    expect(Buffer.from(await (await client.files.content(file.id)).arrayBuffer()).toString()).toContain('ficus');

    expect(await client.vectorStores.files.delete(file.id, { vector_store_id: storeId })).toMatchObject({ id: file.id, deleted: true });
    const after = await client.vectorStores.search(storeId, { query: 'water the office ficus', max_num_results: 10 });
    expect(after.data.map((result) => result.file_id)).not.toContain(file.id);
    expect(await client.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
  }, 60_000);

  it('puts the best chunks into the chat request the provider receives, and says so', async () => {
    const { client, simulator } = gateway;
    const before = simulator.requests.length;
    const { data, response } = await client.chat.completions
      .create({ model: 'oa/sim-small', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Can I get a refund on my yearly subscription?' }], rag_collection: 'help-center', rag_top_k: 2 } as never)
      .withResponse();
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get('x-ailb-context')).toBe('rag=2');
    expect(response.headers.get('x-ailb-rag-sources')).toMatch(/^refund-policy\.md \(0\.\d{3}\), [a-z-]+\.md \(0\.\d{3}\)$/);
    const sent = simulator.requests.slice(before).find((request) => request.api === 'openai')!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.map((message) => message.role)).toEqual(['system', 'system', 'user']);
    expect(sent.messages[0]!.content).toBe('Be brief.');
    expect(sent.messages[1]!.content).toMatch(/^<ailb-context store="vs_[A-Za-z0-9]+">/);
    expect(sent.messages[1]!.content).toContain('file: refund-policy.md (score 0.');
  });

  it('reports embedding, queue and context metrics on the gateway’s /metrics', async () => {
    const text = await (await fetch(`${gateway.server.url}/metrics`)).text();
    expect(text).toMatch(/^ailb_embedding_seconds_count\{model="use-lite",priority="bulk"\} [1-9]/m);
    expect(text).toMatch(/^ailb_embedding_seconds_count\{model="use-lite",priority="query"\} [1-9]/m);
    expect(text).toMatch(/^ailb_embedding_batch_texts_bucket\{le="4",model="use-lite",priority="bulk"\} \d+/m);
    expect(text).toMatch(/^ailb_embedder_queue_jobs\{queue="ingest",state="waiting"\} 0$/m);
    expect(text).toMatch(/^ailb_embedder_queue_lag_seconds\{queue="memory"\} \d/m);
    expect(text).toMatch(/^ailb_context_injected_total\{kind="chunks"\} [1-9]/m);
    expect(text).toMatch(/^ailb_context_retrieval_seconds_count\{outcome="ok"\} [1-9]/m);
  });

  it('answers 404 in OpenAI’s envelope for a store that does not exist, and never creates one', async () => {
    const failure = await gateway.client.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'hi' }], rag_collection: 'no-such-store' } as never).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 404, error: { code: 'not_found', param: 'rag_collection', type: 'invalid_request_error' } });
    expect((await gateway.client.vectorStores.list()).data.map((store) => store.name)).not.toContain('no-such-store');
  });

  it('remembers completed turns of a session and puts the relevant ones before its next message', async () => {
    const { client, simulator } = gateway;
    const ask = (content: string, sessionId = 'chat-session') => client.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content }], session_id: sessionId } as never).withResponse();
    expect((await ask('My dog is called Pixel.')).response.headers.get('x-ailb-context')).toBe('memory=0');
    await ask('I live in Porto.');
    await waitForTurns('chat-session', 2);
    const before = simulator.requests.length;
    const { response } = await ask('What is my dog called?');
    expect(response.headers.get('x-ailb-context')).toBe('memory=2');
    const sent = simulator.requests.slice(before)[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0]!.role).toBe('system');
    expect(sent.messages[0]!.content).toMatch(/^<ailb-memory session="chat-session">/);
    expect(sent.messages[0]!.content).toContain('User: My dog is called Pixel.');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'What is my dog called?' });
    // Another session knows nothing of it.
    const other = await ask('What is my dog called?', 'another-session');
    expect(other.response.headers.get('x-ailb-context')).toBe('memory=0');
  }, 60_000);

  it('stores a streamed answer once its stream completed, never one cut short', async () => {
    const { client } = gateway;
    const stream = await client.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: 'Stream me an answer.' }], session_id: 'streams' } as never);
    let streamed = '';
    for await (const chunk of stream as unknown as AsyncIterable<{ choices: Array<{ delta: { content?: string } }> }>) streamed += chunk.choices[0]?.delta.content ?? '';
    const stored = await waitForTurns('streams', 1);
    expect(stored[0]).toMatchObject({ user: 'Stream me an answer.', assistant: streamed, model: expect.any(String), provider: 'oa' });

    const controller = new AbortController();
    const cut = await client.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: 'A slow one [sim tps=4 tokens=20]' }], session_id: 'streams' } as never, { signal: controller.signal });
    for await (const _chunk of cut as unknown as AsyncIterable<unknown>) {
      controller.abort();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await turnsOf('streams')).toHaveLength(1);
  }, 60_000);
});

/** The session's turns as the API lists them. */
async function turnsOf(sessionId: string): Promise<Array<{ user: string; assistant: string }>> {
  const response = await fetch(`${gateway.server.url}/v1/memory/sessions/${sessionId}`);
  return response.status === 200 ? ((await response.json()) as { turns: Array<{ user: string; assistant: string }> }).turns : [];
}

/** Waits until the session holds `count` turns (memory writes go through a queue). */
async function waitForTurns(sessionId: string, count: number): Promise<Array<{ user: string; assistant: string }>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const turns = await turnsOf(sessionId);
    if (turns.length >= count) return turns;
    if (Date.now() > deadline) throw new Error(`${sessionId}: ${turns.length} of ${count} turns stored`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
