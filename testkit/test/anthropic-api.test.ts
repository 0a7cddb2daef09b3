import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { type AnthropicApiError, anthropicClient, caught, collect } from './helpers.js';

let sim: SimulatedProvider;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulatedProvider();
  client = anthropicClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const base = {
  model: 'sim-small',
  max_tokens: 100,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Name a colour' }],
};
const expectedText = 'Hello from sim-small. You said: Name a colour';

type StreamEvent = Anthropic.RawMessageStreamEvent;

describe('Anthropic messages', () => {
  it('answers with a message object and usage', async () => {
    const message = await client.messages.create(base);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'sim-small',
      content: [{ type: 'text', text: expectedText }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 8 },
    });
    expect(sim.requests[0]).toMatchObject({ api: 'anthropic', path: '/v1/messages', outcome: 'completed' });
  });

  it('streams the documented event sequence', async () => {
    const events = await collect(await client.messages.create({ ...base, stream: true }));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage.input_tokens).toBe(5);
    const text = events
      .map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : ''))
      .join('');
    expect(text).toBe(expectedText);
    const delta = events.find((event): event is Anthropic.RawMessageDeltaEvent => event.type === 'message_delta');
    expect(delta?.delta.stop_reason).toBe('end_turn');
    expect(delta?.usage.output_tokens).toBe(8);
  });

  it('gives the same final message through the SDK stream helper', async () => {
    const final = await client.messages.stream(base).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: expectedText }]);
    expect(final.usage.output_tokens).toBe(8);
  });

  it('stops at max_tokens and at stop sequences', async () => {
    const truncated = await client.messages.create({ ...base, max_tokens: 2 });
    expect(truncated.content).toEqual([{ type: 'text', text: 'Hello from' }]);
    expect(truncated.stop_reason).toBe('max_tokens');
    const stopped = await client.messages.create({ ...base, stop_sequences: ['You'] });
    expect(stopped.content).toEqual([{ type: 'text', text: 'Hello from sim-small.' }]);
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'You' });
  });

  const tools: Anthropic.Tool[] = [
    { name: 'search', input_schema: { type: 'object' } },
    { name: 'lookup', input_schema: { type: 'object' } },
  ];

  it('uses a tool, and acknowledges its result', async () => {
    const message = await client.messages.create({ ...base, tools, tool_choice: { type: 'tool', name: 'lookup' } });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { query: 'Name a colour' } }]);

    const followUp = await client.messages.create({
      ...base,
      tools,
      messages: [
        ...base.messages,
        { role: 'assistant', content: message.content as Anthropic.ContentBlockParam[] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'teal' }] }] },
      ],
    });
    expect(followUp.content).toEqual([{ type: 'text', text: 'Tool result received: teal' }]);
    expect(followUp.stop_reason).toBe('end_turn');
  });

  it('streams tool input as input_json_delta pieces', async () => {
    const events: StreamEvent[] = await collect(await client.messages.create({ ...base, tools, stream: true }));
    const blockStart = events.find((event): event is Anthropic.RawContentBlockStartEvent => event.type === 'content_block_start');
    expect(blockStart?.content_block).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'search', input: {} });
    const pieces = events.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' ? [event.delta.partial_json] : [],
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.join(''))).toEqual({ query: 'Name a colour' });
    const final = await client.messages.stream({ ...base, tools }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { query: 'Name a colour' } });
  });

  it('rejects what Anthropic rejects', async () => {
    const { max_tokens: _omitted, ...withoutMaxTokens } = base;
    const missing = await caught(client.messages.create(withoutMaxTokens as Anthropic.MessageCreateParamsNonStreaming));
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as AnthropicApiError).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });

    const systemRole = await caught(
      client.messages.create({ ...base, messages: [{ role: 'system', content: 'x' } as unknown as Anthropic.MessageParam, ...base.messages] }),
    );
    expect(systemRole).toBeInstanceOf(Anthropic.BadRequestError);
    const systemError = (systemRole as AnthropicApiError).error as { error: { message: string } };
    expect(systemError.error.message).toContain('Unexpected role "system"');

    const unknown = await caught(client.messages.create({ ...base, model: 'claude-nope' }));
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as AnthropicApiError).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('Anthropic models', () => {
  it('lists models in Anthropic shape when anthropic-version is sent', async () => {
    const page = await client.models.list();
    expect(page.data).toEqual([
      { type: 'model', id: 'sim-small', display_name: 'Sim Small', created_at: '2025-01-01T00:00:00Z' },
      { type: 'model', id: 'sim-large', display_name: 'Sim Large', created_at: '2025-01-01T00:00:00Z' },
    ]);
    expect(sim.requests[0]?.api).toBe('anthropic');

    const raw = (await (await fetch(`${sim.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })).json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ has_more: false, first_id: 'sim-small', last_id: 'sim-large' });
    const openAIShape = (await (await fetch(`${sim.url}/v1/models`)).json()) as Record<string, unknown>;
    expect(openAIShape.object).toBe('list');
  });
});
