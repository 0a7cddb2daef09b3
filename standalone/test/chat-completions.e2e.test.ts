import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';

const drivers: Driver[] = ['in-process', 'bullmq'];
const providers = ['oa', 'an', 'ol'] as const;

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
};

describe.each(drivers)('chat completions over the %s driver', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  describe.each(providers)('through provider %s', (provider) => {
    const model = `${provider}/sim-small`;

    it('answers non-streaming with real usage, model, finish reason and headers', async () => {
      const { data, response } = await gateway.client.chat.completions
        .create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is AILB?' }] })
        .withResponse();
      expect(data.object).toBe('chat.completion');
      expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9_-]{20,}$/);
      expect(data.model).toBe('sim-small');
      expect(data.choices[0]!.message.content).toBe('Hello from sim-small. You said: What is AILB?');
      expect(data.choices[0]!.finish_reason).toBe('stop');
      // Words across all messages (2 + 3) and words answered (8): the simulator's own count.
      expect(data.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 });
      expect(response.headers.get('x-ailb-provider')).toBe(provider);
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      expect(Number(response.headers.get('x-ailb-overhead-ms'))).toBeGreaterThanOrEqual(0);
    });

    it('streams the same answer, ending with a finish reason and [DONE]', async () => {
      const stream = await gateway.client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'What is AILB?' }] });
      let text = '';
      const finishReasons: Array<string | null> = [];
      const ids = new Set<string>();
      for await (const chunk of stream) {
        ids.add(chunk.id);
        expect(chunk.model).toBe('sim-small');
        for (const choice of chunk.choices) {
          text += choice.delta.content ?? '';
          finishReasons.push(choice.finish_reason);
        }
        expect(chunk.usage).toBeUndefined();
      }
      expect(text).toBe('Hello from sim-small. You said: What is AILB?');
      expect(finishReasons.filter((reason) => reason !== null)).toEqual(['stop']);
      expect(ids.size).toBe(1);
    });

    it('sends usage in a final chunk with stream_options.include_usage', async () => {
      const stream = await gateway.client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Count my words please' }],
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 });
      expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    });

    it('reports length when max_tokens cuts the answer', async () => {
      const completion = await gateway.client.chat.completions.create({ model, max_tokens: 3, messages: [{ role: 'user', content: 'Tell me everything' }] });
      expect(completion.choices[0]!.finish_reason).toBe('length');
      expect(completion.choices[0]!.message.content).toBe('Hello from sim-small.');
      expect(completion.usage?.completion_tokens).toBe(3);
    });

    it('round-trips a tool call, non-streaming and streaming', async () => {
      const question = 'Weather in Paris';
      const first = await gateway.client.chat.completions.create({ model, tools: [weatherTool], messages: [{ role: 'user', content: question }] });
      const call = first.choices[0]!.message.tool_calls?.[0];
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      expect(call?.type).toBe('function');
      if (call?.type !== 'function') throw new Error('expected a function tool call');
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ query: question });

      const stream = await gateway.client.chat.completions.create({ model, stream: true, tools: [weatherTool], messages: [{ role: 'user', content: question }] });
      let streamedArguments = '';
      let streamedName = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        for (const toolCall of choice.delta.tool_calls ?? []) {
          streamedName += toolCall.function?.name ?? '';
          streamedArguments += toolCall.function?.arguments ?? '';
        }
        finish = choice.finish_reason ?? finish;
      }
      expect(streamedName).toBe('get_weather');
      expect(JSON.parse(streamedArguments)).toEqual({ query: question });
      expect(finish).toBe('tool_calls');

      const answer = await gateway.client.chat.completions.create({
        model,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 C' },
        ],
      });
      expect(answer.choices[0]!.message.content).toBe('Tool result received: Sunny, 21 C');
      expect(answer.choices[0]!.finish_reason).toBe('stop');
    });
  });

  it('never forwards AILB extension fields to the provider', async () => {
    gateway.simulator.reset();
    const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-header' },
      body: JSON.stringify({ model: 'oa/sim-small', session_id: 'abc', rag_collection: 'docs', rag_top_k: 3, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    const body = gateway.simulator.requests[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('session_id');
    expect(body).not.toHaveProperty('rag_collection');
    expect(body).not.toHaveProperty('rag_top_k');
    expect(JSON.stringify(gateway.simulator.requests[0]!.headers)).not.toContain('session-header');
  });

  it('lists every servable model with its deployment as owner, including discovered Ollama models', async () => {
    const models = await gateway.client.models.list();
    const ids = models.data.map((model) => `${model.id}@${model.owned_by}`);
    expect(ids).toEqual(expect.arrayContaining(['sim-small@oa', 'oa/sim-small@oa', 'an/sim-small@an', 'ol/sim-small@ol', 'ol/sim-large@ol']));
  });

  it('echoes a client x-request-id', async () => {
    const { response } = await gateway.client.chat.completions
      .create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'my-trace-42' } })
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe('my-trace-42');
  });

  it('exposes Prometheus metrics with bounded labels', async () => {
    const text = await (await fetch(`${gateway.server.url}/metrics`)).text();
    expect(text).toContain('ailb_chat_requests_total{model="oa/sim-small",provider="oa",stream="false",outcome="success"}');
    expect(text).toContain('ailb_chat_requests_total{model="an/sim-small",provider="an",stream="true",outcome="success"}');
    expect(text).toMatch(/ailb_tokens_total\{provider="ol",kind="completion"\} [1-9]/);
    expect(text).toMatch(/ailb_chat_overhead_seconds_count\{stream="true"\} [1-9]/);
    expect(text).toMatch(/ailb_upstream_latency_seconds_count\{provider="an",stream="false"\} [1-9]/);
    expect(text).toContain('ailb_http_requests_total{route="/v1/chat/completions",status="200"}');
  });

  it('keeps shared per-provider stats', async () => {
    const response = await fetch(`${gateway.server.url}/api/routing/stats`);
    const stats = (await response.json()) as { providers: Record<string, Record<string, unknown>> };
    const openai = stats.providers.oa!;
    expect(openai.total_requests).toBeGreaterThan(0);
    expect(openai.successful_requests).toBe(openai.total_requests);
    expect(openai.success_rate).toBe(1);
    expect(openai.last_success).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(openai).toHaveProperty('avg_latency_ms');
    expect(openai).toHaveProperty('consecutive_failures', 0);
    expect(openai).toHaveProperty('last_failure', null);
  });
});
