import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChromaServer, type OwnChromaServer } from '@ailb/embedder';
import { SplitDeployment, startSimulatedProvider, type SimulatedProvider, type StartedProcess } from '@ailb/testkit';
import OpenAI, { toFile } from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The embedder in split mode, as deployed: gateway, worker and embedder processes on one Redis, one
 * Chroma server all embedders share. Memory and RAG degrade when the embedder or Chroma is down and the
 * writes land once they are back; an embedder killed mid-ingestion loses nothing; two replicas answer a
 * search alike.
 */

const FIXTURES = new URL('../../embedder/test/fixtures/knowledge-base/', import.meta.url);

describe('the embedder in split mode', () => {
  let simulator: SimulatedProvider;
  let deployment: SplitDeployment;
  let chroma: OwnChromaServer;
  let chromaDir: string;
  let chromaPort: number;
  let client: OpenAI;
  let embedder: StartedProcess | undefined;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    chromaDir = mkdtempSync(join(tmpdir(), 'ailb-split-chroma-'));
    chroma = await startChromaServer({ dataDir: chromaDir, logger });
    chromaPort = Number(new URL(chroma.url).port);
    deployment = new SplitDeployment(`providers:\n  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: sk-split-embedder-key, models: [sim-small] }\nmemory: { timeout_ms: 1000 }\n`, {
      CHROMA_URL: chroma.url,
      // A killed embedder's jobs are taken over after 2 s.
      AILB_WORKER_LOCK_MS: '2000',
    });
    const [gateway] = await Promise.all([deployment.startGateway(), deployment.startWorker()]);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await deployment?.close();
    await chroma?.stop();
    await simulator?.close();
    if (chromaDir) rmSync(chromaDir, { recursive: true, force: true });
  }, 60_000);

  const chat = (sessionId: string, content: string) =>
    client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content }] }, { headers: { 'x-session-id': sessionId } }).withResponse();
  const turns = async (sessionId: string) => {
    const response = await fetch(`${client.baseURL}/memory/sessions/${sessionId}`);
    return response.status === 200 ? ((await response.json()) as { turns: Array<{ user: string }> }).turns : [];
  };
  const until = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('answers without memory while no embedder runs, and remembers the turn once one starts', async () => {
    const { response, data } = await chat('while-down', 'My favourite colour is teal.');
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get('x-ailb-context')).toBe('degraded');
    expect((await fetch(`${client.baseURL}/memory/sessions/while-down`)).status).toBe(503);
    embedder = await deployment.startEmbedder();
    await until(async () => (await turns('while-down')).length === 1, 20_000, 'the queued turn');
    const { response: next } = await chat('while-down', 'What is my favourite colour?');
    expect(next.headers.get('x-ailb-context')).toBe('memory=1');
    // The embedder serves its own metrics and health for operators.
    const listening = embedder.output().split('\n').find((line) => line.includes('embedder metrics and health listening'))!;
    const url = String((JSON.parse(listening) as { url: string }).url);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^ailb_embedding_seconds_count\{model="use-lite",priority="query"\} [1-9]/m);
  }, 60_000);

  it('answers without memory while Chroma is down, and the turn lands when Chroma is back', async () => {
    await chroma.stop();
    const started = Date.now();
    const { response } = await chat('chroma-down', 'Remember the number 42.');
    expect(response.headers.get('x-ailb-context')).toBe('degraded');
    expect(Date.now() - started).toBeLessThan(5000);
    chroma = await startChromaServer({ dataDir: chromaDir, logger, port: chromaPort });
    await until(async () => (await turns('chroma-down')).length === 1, 30_000, 'the turn written after Chroma came back');
    // What was there before survived Chroma's restart.
    expect((await turns('while-down')).map((turn) => turn.user)).toEqual(['My favourite colour is teal.', 'What is my favourite colour?']);
  }, 60_000);

  it('loses nothing when the embedder is killed during ingestion, and two replicas answer a search alike', async () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.md')).sort().slice(0, 12);
    const files = [];
    for (const name of names) files.push(await client.files.create({ file: await toFile(readFileSync(new URL(name, FIXTURES)), name), purpose: 'assistants' }));
    const store = await client.vectorStores.create({ name: 'crash-test', file_ids: files.map((file) => file.id) });
    // Kill it while files are being ingested, then let another embedder take over.
    await until(async () => (await client.vectorStores.retrieve(store.id)).file_counts.completed >= 1, 60_000, 'the first ingested file');
    embedder!.child.kill('SIGKILL');
    const first = await deployment.startEmbedder();
    await until(async () => (await client.vectorStores.retrieve(store.id)).status === 'completed', 90_000, 'the store to complete');
    expect((await client.vectorStores.retrieve(store.id)).file_counts).toMatchObject({ completed: names.length, failed: 0, in_progress: 0 });

    const query = { query: 'How do I turn on two-factor authentication?', max_num_results: 5 };
    const fromFirst = (await client.vectorStores.search(store.id, query)).data;
    expect(fromFirst.length).toBeGreaterThan(0);
    const second = await deployment.startEmbedder();
    await first.stop();
    const fromSecond = (await client.vectorStores.search(store.id, query)).data;
    expect(fromSecond).toEqual(fromFirst);
    embedder = second;
  }, 180_000);
});
