import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonReply, ReplayServer, streamReply } from '@ailb/testkit';
import { GatewayError, streamPartSchema, type ChatProvider, type ProviderConfig, type StreamPart } from '@ailb/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './openai-provider.js';

const apiKey = 'sk-test-ailb-0123456789abcdef';
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A stand-in for an OpenAI-compatible server replaying recorded answers. */
let replay: ReplayServer;
let baseUrl: string;
beforeAll(async () => {
  replay = await ReplayServer.start();
  baseUrl = `${replay.url}/v1`;
});
afterAll(() => replay.close());
beforeEach(() => replay.reset());

/** What the tests check of each request the server received. */
const received = () =>
  replay.received.map((request) => ({ method: request.method, url: request.url, authorization: request.headers.authorization, body: request.body as Record<string, unknown> | undefined }));
const json = (status: number, body: string, headers: Record<string, string> = {}) => jsonReply(status, body, headers);
const sse = (body: string) => streamReply('text/event-stream', [body]);

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id: 'openai-test',
  type: 'openai',
  api_key: apiKey,
  base_url: baseUrl,
  default_max_tokens: 4096,
  ...overrides,
});

const call = (signal: AbortSignal = new AbortController().signal) => ({
  model: 'gpt-4o-mini',
  call: { specificationVersion: 1 as const, prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }], temperature: 0.5 },
  signal,
});

async function collect(provider: ChatProvider, signal?: AbortSignal): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of provider.stream(call(signal))) parts.push(streamPartSchema.parse(part));
  return parts;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('createOpenAIProvider against a local server', () => {
  it('generates: sends the upstream model and the key, converts the answer', async () => {
    replay.fallback = json(200, fixture('chat-completion-text.json'));
    const result = await createOpenAIProvider(config()).generate(call());
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'Hello! How can I assist you today?' }], response: { modelId: 'gpt-4o-mini-2024-07-18' }, usage: { totalTokens: 29 } });
    expect(received()[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions', authorization: `Bearer ${apiKey}` });
    expect(received()[0]?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5 });
  });

  it('streams text and reads usage from the include_usage chunk', async () => {
    replay.fallback = sse(fixture('stream-text.sse'));
    const parts = await collect(createOpenAIProvider(config()));
    expect(parts.map((part) => part.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-delta', 'text-end', 'finish']);
    expect(parts.at(-1)).toMatchObject({ usage: { inputTokens: 12, outputTokens: 5 } });
    expect(received()[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('streams tool call deltas', async () => {
    replay.fallback = sse(fixture('stream-tool-calls.sse'));
    const parts = await collect(createOpenAIProvider(config()));
    const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [[part.toolName, JSON.parse(part.input) as unknown]] : []));
    expect(calls).toEqual([
      ['get_weather', { location: 'Paris' }],
      ['get_time', { city: 'Paris' }],
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('finalises a stream that ends after finish_reason without [DONE]', async () => {
    replay.fallback = sse(fixture('stream-no-done.sse'));
    const parts = await collect(createOpenAIProvider(config()));
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: null });
  });

  it('throws upstream_malformed_response when the body ends before a finish_reason', async () => {
    replay.fallback = sse(fixture('stream-cut.sse'));
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_malformed_response');
  });

  it('throws upstream_unreachable when the connection drops mid-stream', async () => {
    replay.fallback = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixture('stream-cut.sse'), () => setTimeout(() => response.socket?.destroy(), 20));
    };
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_unreachable');
  });

  it('throws upstream_malformed_response for a chunk that is not JSON', async () => {
    replay.fallback = sse(`${fixture('stream-cut.sse')}data: {"id":"chatcmpl-1","choices":[{"delta":\n\n`);
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_malformed_response');
  });

  it('maps answers whose shape cannot be read to upstream_malformed_response, not an AILB error', async () => {
    replay.fallback = sse('data: null\n\n');
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_malformed_response');
    replay.fallback = sse('data: {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[null]}}]}\n\n');
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_malformed_response');
    replay.fallback = json(200, '{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[null]},"finish_reason":"tool_calls"}]}');
    const error = await rejection(createOpenAIProvider(config()).generate(call()));
    expect(error).toMatchObject({ code: 'upstream_malformed_response', provider: 'openai-test' });
    expect(error.isRetryable).toBe(true);
  });

  it('maps a TLS failure (https to a plain-HTTP server) to upstream_unreachable by its code', async () => {
    const provider = createOpenAIProvider(config({ base_url: baseUrl.replace('http://', 'https://') }));
    const error = await rejection(provider.generate(call()));
    expect(error).toMatchObject({ code: 'upstream_unreachable', provider: 'openai-test' });
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/connection failed \([A-Z_]+\)/);
  });

  it('maps an error object inside the stream', async () => {
    replay.fallback = sse(`${fixture('stream-cut.sse')}data: {"error":{"message":"The server had an error","type":"server_error"}}\n\n`);
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_error');
  });

  it('throws upstream_malformed_response for a non-JSON 200 body', async () => {
    replay.fallback = json(200, '{"id": "chatcmpl-1", "choices": [');
    expect((await rejection(createOpenAIProvider(config()).generate(call()))).code).toBe('upstream_malformed_response');
  });

  it('maps 429 with retry-after to upstream_rate_limited', async () => {
    replay.fallback = json(429, fixture('error-rate-limit.json'), { 'retry-after': '7' });
    const error = await rejection(createOpenAIProvider(config()).generate(call()));
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 7000, provider: 'openai-test' });
    expect(received()).toHaveLength(1); // maxRetries: 0, the worker decides about retries
  });

  it('maps 500 to upstream_error', async () => {
    replay.fallback = json(500, fixture('error-server.json'));
    expect((await rejection(collect(createOpenAIProvider(config())))).code).toBe('upstream_error');
  });

  it('maps 401 to upstream_auth_failed without the key in the message', async () => {
    replay.fallback = json(401, fixture('error-invalid-api-key.json'));
    const error = await rejection(createOpenAIProvider(config()).generate(call()));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).not.toContain(apiKey);
  });

  it('maps 400 context_length_exceeded', async () => {
    replay.fallback = json(400, fixture('error-context-length.json'));
    const error = await rejection(createOpenAIProvider(config()).generate(call()));
    expect(error).toMatchObject({ code: 'context_length_exceeded', param: 'messages' });
  });

  it('maps an abort before the answer to request_cancelled', async () => {
    replay.fallback = () => undefined; // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(createOpenAIProvider(config()).generate(call(controller.signal)))).code).toBe('request_cancelled');
  });

  it('maps an abort mid-stream to request_cancelled', async () => {
    replay.fallback = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixture('stream-cut.sse')); // then nothing more
    };
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    const error = await rejection(
      (async () => {
        for await (const part of createOpenAIProvider(config()).stream(call(controller.signal))) {
          parts.push(part);
          controller.abort();
        }
      })(),
    );
    expect(parts[0]?.type).toBe('stream-start');
    expect(error.code).toBe('request_cancelled');
  });

  it('maps a timeout to upstream_timeout', async () => {
    replay.fallback = () => undefined;
    const provider = createOpenAIProvider(config(), { timeoutMs: 100 });
    expect((await rejection(provider.generate(call()))).code).toBe('upstream_timeout');
  });

  it('maps connection refused to upstream_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const provider = createOpenAIProvider(config({ base_url: `http://127.0.0.1:${port}/v1` }));
    expect((await rejection(provider.generate(call()))).code).toBe('upstream_unreachable');
  });

  it('lists models', async () => {
    replay.fallback = json(200, JSON.stringify({
      object: 'list',
      data: [
        { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
        { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
      ],
    }));
    const models = await createOpenAIProvider(config()).listModels(new AbortController().signal);
    expect(models).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
    expect(received()[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
  });
});
