import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { caught, collect, type OpenAIApiError, openAIClient } from './helpers.js';

let sim: SimulatedProvider;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulatedProvider();
  client = openAIClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const messages: OpenAI.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is  the\nweather?' },
];
const expectedText = 'Hello from sim-small. You said: What is the weather?';

describe('OpenAI chat completions', () => {
  it('answers deterministically with usage counted in words', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-small', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('sim-small');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: expectedText, refusal: null });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 });
    expect(sim.requests[0]).toMatchObject({ api: 'openai', path: '/v1/chat/completions', model: 'sim-small', outcome: 'completed', tokensSent: 9, status: 200 });
  });

  it('streams one word per chunk, concatenating to the non-stream text', async () => {
    const stream = await client.chat.completions.create({ model: 'sim-small', messages, stream: true });
    const chunks = await collect(stream);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const contents = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '');
    expect(contents.slice(1, 4)).toEqual(['Hello', ' from', ' sim-small.']);
    expect(contents.join('')).toBe(expectedText);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('adds usage: null to every chunk and a final usage chunk with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim-small',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('truncates to max_completion_tokens with finish_reason length', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-small', messages, max_completion_tokens: 2 });
    expect(completion.choices[0]?.message.content).toBe('Hello from');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(2);
    const legacy = await client.chat.completions.create({ model: 'sim-small', messages, max_tokens: 3 });
    expect(legacy.choices[0]?.message.content).toBe('Hello from sim-small.');
  });

  it('cuts before a stop sequence', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-small', messages, stop: ['You said'] });
    expect(completion.choices[0]?.message.content).toBe('Hello from sim-small.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('honours the tokens directive', async () => {
    const completion = await client.chat.completions.create({
      model: 'sim-large',
      messages: [{ role: 'user', content: 'go [sim tokens=4]' }],
    });
    expect(completion.choices[0]?.message.content).toBe('w1 w2 w3 w4');
  });

  const tools: OpenAI.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'search', parameters: { type: 'object' } } },
    { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
  ];

  it('calls the first tool, or the forced one', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-small', messages, tools });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'search' } });
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ query: 'What is the weather?' });

    const forced = await client.chat.completions.create({
      model: 'sim-small',
      messages,
      tools,
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
    expect(forced.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'lookup' } });
    const none = await client.chat.completions.create({ model: 'sim-small', messages, tools, tool_choice: 'none' });
    expect(none.choices[0]?.message.content).toBe(expectedText);
  });

  it('streams a tool call as OpenAI does', async () => {
    const stream = await client.chat.completions.create({ model: 'sim-small', messages, tools, stream: true });
    const chunks = await collect(stream);
    const first = chunks[0]?.choices[0]?.delta.tool_calls?.[0];
    expect(first).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '' } });
    const fragments = chunks.slice(1).flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.every((fragment) => fragment.index === 0 && fragment.id === undefined)).toBe(true);
    const argumentsText = fragments.map((fragment) => fragment.function?.arguments ?? '').join('');
    expect(JSON.parse(argumentsText)).toEqual({ query: 'What is the weather?' });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('acknowledges a tool result', async () => {
    const completion = await client.chat.completions.create({
      model: 'sim-small',
      tools,
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'search', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_9', content: 'sunny and warm' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('Tool result received: sunny and warm');
  });

  it('answers an unknown model with OpenAI 404', async () => {
    const error = await caught(client.chat.completions.create({ model: 'gpt-nope', messages }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as OpenAIApiError).code).toBe('model_not_found');
  });
});

describe('OpenAI models and embeddings', () => {
  it('lists the configured models', async () => {
    const models = await collect(client.models.list());
    expect(models.map((model) => model.id)).toEqual(['sim-small', 'sim-large']);
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'ailb-simulator' });
    expect(sim.requests[0]).toMatchObject({ api: 'openai', model: null });
  });

  it('returns deterministic unit vectors (base64 via the SDK, and float)', async () => {
    const viaSdk = await client.embeddings.create({ model: 'sim-small', input: ['red apple', 'red apple pie', 'blue whale'] });
    expect(viaSdk.data).toHaveLength(3);
    expect(viaSdk.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    const [apple, pie, whale] = viaSdk.data.map((item) => item.embedding);
    expect(apple).toHaveLength(16);
    const dot = (left: number[], right: number[]): number => left.reduce((sum, value, index) => sum + value * right[index]!, 0);
    expect(dot(apple!, apple!)).toBeCloseTo(1, 5);
    expect(dot(apple!, pie!)).toBeGreaterThan(dot(apple!, whale!));

    const asFloat = await client.embeddings.create({ model: 'sim-small', input: 'red apple', encoding_format: 'float', dimensions: 8 });
    expect(asFloat.data[0]?.embedding).toHaveLength(8);
    const again = await client.embeddings.create({ model: 'sim-small', input: 'red apple', encoding_format: 'float' });
    expect(again.data[0]?.embedding).toEqual(apple);
  });
});
