import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { ndjson, ollamaPost } from './helpers.js';

let sim: SimulatedProvider;

beforeAll(async () => {
  sim = await startSimulatedProvider();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Why is the sky blue?' },
];
const expectedText = 'Hello from sim-small. You said: Why is the sky blue?';

describe('Ollama /api/chat', () => {
  it('streams NDJSON by default, ending with a done line carrying counts and durations', async () => {
    const response = await ollamaPost(sim, '/api/chat', { model: 'sim-small', messages });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await ndjson(response);
    const partial = lines.slice(0, -1);
    expect(partial[0]).toMatchObject({ model: 'sim-small', message: { role: 'assistant', content: 'Hello' }, done: false });
    expect(partial.map((line) => (line.message as { content: string }).content).join('')).toBe(expectedText);
    const final = lines.at(-1)!;
    expect(final).toMatchObject({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 7,
      eval_count: 10,
    });
    for (const field of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) {
      expect(typeof final[field]).toBe('number');
    }
    expect(typeof final.created_at).toBe('string');
    expect(sim.requests[0]).toMatchObject({ api: 'ollama', stream: true, outcome: 'completed', tokensSent: 10 });
  });

  it('answers with one object when stream is false, and honours num_predict and stop', async () => {
    const whole = (await (await ollamaPost(sim, '/api/chat', { model: 'sim-small:latest', messages, stream: false })).json()) as Record<string, unknown>;
    // Ollama echoes the model name as requested, tag included.
    expect(whole).toMatchObject({
      model: 'sim-small:latest',
      message: { role: 'assistant', content: 'Hello from sim-small:latest. You said: Why is the sky blue?' },
      done: true,
      eval_count: 10,
    });

    const limited = (await (
      await ollamaPost(sim, '/api/chat', { model: 'sim-small', messages, stream: false, options: { num_predict: 3 } })
    ).json()) as Record<string, unknown>;
    expect(limited).toMatchObject({ message: { content: 'Hello from sim-small.' }, done_reason: 'length', eval_count: 3 });

    const stopped = (await (
      await ollamaPost(sim, '/api/chat', { model: 'sim-small', messages, stream: false, options: { stop: ['said'] } })
    ).json()) as Record<string, unknown>;
    expect(stopped).toMatchObject({ message: { content: 'Hello from sim-small. You' }, done_reason: 'stop' });
  });

  it('calls a tool with object arguments, then acknowledges the result', async () => {
    const tools = [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }];
    const lines = await ndjson(await ollamaPost(sim, '/api/chat', { model: 'sim-small', messages, tools }));
    const call = lines.find((line) => (line.message as { tool_calls?: unknown }).tool_calls !== undefined);
    expect((call?.message as { tool_calls: unknown }).tool_calls).toEqual([
      { function: { name: 'search', arguments: { query: 'Why is the sky blue?' } } },
    ]);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });

    const followUp = (await (
      await ollamaPost(sim, '/api/chat', {
        model: 'sim-small',
        stream: false,
        tools,
        messages: [...messages, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'search', arguments: {} } }] }, { role: 'tool', content: 'Rayleigh scattering' }],
      })
    ).json()) as Record<string, unknown>;
    expect(followUp.message).toEqual({ role: 'assistant', content: 'Tool result received: Rayleigh scattering' });
  });

  it('answers unknown models and bad requests with Ollama errors', async () => {
    const missing = await ollamaPost(sim, '/api/chat', { model: 'llama-nope', messages });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'model "llama-nope" not found, try pulling it first' });
    const noModel = await ollamaPost(sim, '/api/chat', { messages });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: 'model is required' });
  });
});

describe('Ollama tags and embed', () => {
  it('lists the configured models', async () => {
    const body = (await (await fetch(`${sim.url}/api/tags`)).json()) as { models: Array<Record<string, unknown>> };
    expect(body.models.map((model) => [model.name, model.model])).toEqual([
      ['sim-small', 'sim-small'],
      ['sim-large', 'sim-large'],
    ]);
    expect(body.models[0]).toMatchObject({ modified_at: expect.any(String), size: expect.any(Number), digest: expect.any(String) });
    expect(body.models[0]?.details).toMatchObject({ format: 'gguf' });
  });

  it('embeds a string or a list of strings', async () => {
    const single = (await (await ollamaPost(sim, '/api/embed', { model: 'sim-small', input: 'hello world' })).json()) as Record<string, unknown>;
    expect(single).toMatchObject({ model: 'sim-small', prompt_eval_count: 2 });
    expect((single.embeddings as number[][])[0]).toHaveLength(16);
    const many = (await (await ollamaPost(sim, '/api/embed', { model: 'sim-small', input: ['hello world', 'bye'], dimensions: 4 })).json()) as Record<string, unknown>;
    expect(many.embeddings as number[][]).toHaveLength(2);
    expect((many.embeddings as number[][])[1]).toHaveLength(4);
    expect(typeof many.total_duration).toBe('number');
    expect(typeof many.load_duration).toBe('number');
  });
});
