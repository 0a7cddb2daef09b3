import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { anthropicClient, caught, collect, ndjson, ollamaPost, openAIClient, sseData } from './helpers.js';

let sim: SimulatedProvider;

beforeAll(async () => {
  sim = await startSimulatedProvider();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const ask = (content: string) => ({ model: 'sim-small', messages: [{ role: 'user' as const, content }] });
const anthropicAsk = (content: string) => ({ ...ask(content), max_tokens: 100 });
const postOpenAI = (body: unknown, signal?: AbortSignal): Promise<Response> =>
  fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

describe('connection faults', () => {
  it('reset destroys the socket before any byte', async () => {
    const error = await caught(openAIClient(sim).chat.completions.create(ask('[sim fault=reset]')));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    await sim.waitFor((records) => records[0]?.endedAt !== null);
    expect(sim.requests[0]).toMatchObject({ outcome: 'fault', fault: 'reset', status: null, tokensSent: 0 });
  });

  it('cut ends a stream after `after` tokens, and the SDK stream throws', async () => {
    const seen: string[] = [];
    const error = await caught(
      (async () => {
        const stream = await openAIClient(sim).chat.completions.create({ ...ask('[sim fault=cut after=2]'), stream: true });
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(seen.join('')).toBe('Hello from');
    await sim.waitFor((records) => records[0]?.endedAt !== null);
    expect(sim.requests[0]).toMatchObject({ outcome: 'fault', fault: 'cut', tokensSent: 2 });

    const anthropicStream = anthropicClient(sim).messages.create({ ...anthropicAsk('[sim fault=cut]'), stream: true });
    await expect(collect(await anthropicStream)).rejects.toThrow();
    const ollama = await ollamaPost(sim, '/api/chat', { ...ask('[sim fault=cut after=1]') });
    await expect(ollama.text()).rejects.toThrow();
  });

  it('cut mid-body fails a non-streaming call', async () => {
    sim.script([{ fault: 'cut' }]);
    await expect(openAIClient(sim).chat.completions.create(ask('hello'))).rejects.toThrow();
    expect(sim.requests[0]).toMatchObject({ outcome: 'fault', fault: 'cut', status: 200 });
  });

  it('no_done still ends every stream', async () => {
    sim.script([{ fault: 'no_done', count: 3 }]);
    const raw = await (await postOpenAI({ ...ask('hello'), stream: true })).text();
    expect(raw).not.toContain('[DONE]');
    const chunks = await collect(await openAIClient(sim).chat.completions.create({ ...ask('hello'), stream: true }));
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const events = await collect(await anthropicClient(sim).messages.create({ ...anthropicAsk('hello'), stream: true }));
    expect(events.at(-1)?.type).toBe('message_delta');
    expect(sim.requests.map((record) => record.outcome)).toEqual(['fault', 'fault', 'fault']);
  });

  it('malformed inserts one invalid JSON event, then continues', async () => {
    const raw = await (await postOpenAI({ ...ask('[sim fault=malformed after=1]'), stream: true })).text();
    const data = sseData(raw);
    const invalid = data.filter((payload) => {
      if (payload === '[DONE]') return false;
      try {
        JSON.parse(payload);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid).toHaveLength(1);
    expect(data.at(-1)).toBe('[DONE]');
    expect(data.indexOf(invalid[0]!)).toBe(2);

    await expect(collect(await openAIClient(sim).chat.completions.create({ ...ask('[sim fault=malformed]'), stream: true }))).rejects.toThrow();
    sim.script([{ fault: 'malformed' }]);
    const whole = await postOpenAI(ask('hello'));
    expect(whole.status).toBe(200);
    await expect(whole.json()).rejects.toThrow();
    const ollama = await ollamaPost(sim, '/api/chat', ask('[sim fault=malformed after=0]'));
    await expect(ndjson(ollama)).rejects.toThrow(SyntaxError);
  });
});

describe('hanging faults and aborts', () => {
  it('stall keeps the stream open silently until the client leaves', async () => {
    const controller = new AbortController();
    const response = await postOpenAI({ ...ask('[sim fault=stall after=2]'), stream: true }, controller.signal);
    await sim.waitFor((records) => records[0]?.tokensSent === 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.requests[0]).toMatchObject({ outcome: 'fault', fault: 'stall', tokensSent: 2, endedAt: null });
    controller.abort();
    await expect(response.text()).rejects.toThrow();
    await sim.waitFor((records) => records[0]?.outcome === 'aborted');
    expect(sim.requests[0]?.fault).toBe('stall');
  });

  it('no_response never answers; a client timeout is recorded as aborted', async () => {
    sim.script([{ fault: 'no_response' }]);
    await expect(postOpenAI(ask('hello'), AbortSignal.timeout(200))).rejects.toThrow();
    await sim.waitFor((records) => records[0]?.outcome === 'aborted');
    expect(sim.requests[0]).toMatchObject({ fault: 'no_response', status: null });
  });

  it('slow_first_token sends headers at once and the first token after the delay', async () => {
    const started = Date.now();
    const response = await postOpenAI({ ...ask('[sim fault=slow_first_token delay=300]'), stream: true });
    expect(Date.now() - started).toBeLessThan(250);
    const reader = response.body!.getReader();
    await reader.read();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await reader.cancel();
  });

  it('records a client abort mid-stream as aborted', async () => {
    const stream = await openAIClient(sim).chat.completions.create({ ...ask('[sim tps=20 tokens=40]'), stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    await sim.waitFor((records) => records[0]?.outcome === 'aborted');
    expect(sim.requests[0]?.fault).toBeNull();
    expect(sim.requests[0]?.tokensSent).toBeLessThan(40);
  });

  it('close() ends stalled streams and is idempotent', async () => {
    const local = await startSimulatedProvider();
    const response = await fetch(`${local.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask('[sim fault=stall after=1]'), stream: true }),
    });
    await local.waitFor((records) => records[0]?.tokensSent === 1);
    await Promise.all([local.close(), local.close()]);
    await expect(response.text()).rejects.toThrow();
    expect(local.requests[0]?.outcome).toBe('fault');
  });
});

describe('pacing', () => {
  it('applies latency before headers and tokensPerSecond between tokens', async () => {
    const slow = await startSimulatedProvider({ latencyMs: 150, tokensPerSecond: 50 });
    try {
      const client = openAIClient(slow);
      const started = Date.now();
      const stream = await client.chat.completions.create({ ...ask('[sim tokens=10]'), stream: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await collect(stream);
      // 150 ms latency + 9 gaps of 20 ms between 10 tokens.
      expect(Date.now() - started).toBeGreaterThanOrEqual(320);
      const fast = Date.now();
      await client.chat.completions.create(ask('[sim latency=0 tps=0 tokens=10]'));
      expect(Date.now() - fast).toBeLessThan(120);
    } finally {
      await slow.close();
    }
  });
});
