import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDirective, startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { ollamaPost, type OpenAIApiError, openAIClient } from './helpers.js';

let sim: SimulatedProvider;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulatedProvider();
  client = openAIClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const ask = (model: string, content = 'hi') => ({ model, messages: [{ role: 'user' as const, content }] });
const statusOf = async (promise: Promise<unknown>): Promise<number> => {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as OpenAIApiError).status ?? -1;
  }
};

describe('script()', () => {
  it('applies faults in order, honouring count and the model filter', async () => {
    sim.script([
      { fault: '500', count: 2, model: 'sim-large' },
      { fault: '429' },
    ]);
    const statuses = [
      await statusOf(client.chat.completions.create(ask('sim-large'))),
      await statusOf(client.chat.completions.create(ask('sim-small'))),
      await statusOf(client.chat.completions.create(ask('sim-large'))),
      await statusOf(client.chat.completions.create(ask('sim-small'))),
      await statusOf(client.chat.completions.create(ask('sim-large'))),
    ];
    expect(statuses).toEqual([500, 429, 500, 200, 200]);
    expect(sim.requests.map((record) => record.fault)).toEqual(['500', '429', '500', null, null]);
  });

  it('does not spend faults on model lists or invalid requests', async () => {
    sim.script([{ fault: '500' }]);
    await client.models.list();
    expect(await statusOf(client.chat.completions.create(ask('no-such-model')))).toBe(404);
    expect(await statusOf(client.chat.completions.create(ask('sim-small')))).toBe(500);
  });

  it('lets a directive fault win without consuming the script', async () => {
    sim.script([{ fault: '500' }]);
    expect(await statusOf(client.chat.completions.create(ask('sim-small', '[sim fault=503]')))).toBe(503);
    expect(await statusOf(client.chat.completions.create(ask('sim-small')))).toBe(500);
  });

  it('matches Ollama model tags and applies to embeddings', async () => {
    sim.script([{ fault: '503', model: 'sim-small' }, { fault: '429' }]);
    const chat = await ollamaPost(sim, '/api/chat', { ...ask('sim-small:latest'), stream: false });
    expect(chat.status).toBe(503);
    expect(await statusOf(client.embeddings.create({ model: 'sim-large', input: 'x' }))).toBe(429);
  });

  it('rejects unknown faults and bad counts without queuing anything', () => {
    expect(() => sim.script([{ fault: '500' }, { fault: 'explode' as never }])).toThrow(/unknown fault/);
    expect(() => sim.script([{ fault: '500', count: 0 }])).toThrow(/count/);
  });

  it('reset() clears the log and the script', async () => {
    sim.script([{ fault: '500' }]);
    await client.models.list();
    const requests = sim.requests;
    sim.reset();
    expect(requests).toHaveLength(0);
    expect(await statusOf(client.chat.completions.create(ask('sim-small')))).toBe(200);
    expect(sim.requests[0]?.id).toBe(1);
  });

  it('waitFor rejects with a summary on timeout', async () => {
    await expect(sim.waitFor((records) => records.length > 5, 50)).rejects.toThrow(/timed out after 50 ms; requests: none/);
  });
});

describe('admin endpoints', () => {
  it('script, list and reset over HTTP', async () => {
    const bad = await fetch(`${sim.url}/__sim/script`, { method: 'POST', body: JSON.stringify({ faults: [{ fault: 'nope' }] }) });
    expect(bad.status).toBe(400);
    const queued = await fetch(`${sim.url}/__sim/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: [{ fault: '429', options: { retry_after: 1 } }] }),
    });
    expect(await queued.json()).toEqual({ ok: true, queued: 1 });
    expect(await statusOf(client.chat.completions.create(ask('sim-small')))).toBe(429);

    const records = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as Array<Record<string, unknown>>;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ api: 'openai', fault: '429', outcome: 'fault' });

    expect((await fetch(`${sim.url}/__sim/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('parseDirective', () => {
  it('reads any subset of keys and keeps fault options', () => {
    expect(parseDirective('hello [sim latency=200 tps=50 tokens=3 fault=cut after=2 retry_after=4] bye')).toEqual({
      latencyMs: 200,
      tokensPerSecond: 50,
      tokens: 3,
      fault: 'cut',
      faultOptions: { after: 2, retry_after: 4 },
    });
    expect(parseDirective('no directive here')).toEqual({ faultOptions: {} });
    expect(parseDirective('[sim fault=boom]').unknownFault).toBe('boom');
  });
});
