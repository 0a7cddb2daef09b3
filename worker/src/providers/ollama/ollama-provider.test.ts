import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonReply, ReplayServer, streamReply } from '@ailb/testkit';
import { GatewayError, streamPartSchema, type ChatCall, type ChatProvider, type ProviderCall, type ProviderConfig, type StreamPart } from '@ailb/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A stand-in for an Ollama server replaying recorded answers. */
let replay: ReplayServer;
let baseUrl: string;
const providers: ChatProvider[] = [];
beforeAll(async () => {
  replay = await ReplayServer.start();
  baseUrl = `${replay.url}/`;
});
afterAll(() => replay.close());
beforeEach(() => replay.reset());
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close?.()));
});

/** What the tests check of each request the server received. */
const received = () => replay.received.map((request) => ({ method: request.method, url: request.url, body: request.body as Record<string, unknown> | undefined }));
const json = (status: number, body: string) => jsonReply(status, body, { 'content-type': 'application/json; charset=utf-8' });
/** Streams NDJSON one line per write, as Ollama does. */
const ndjson = (body: string) => streamReply('application/x-ndjson', body.split(/(?<=\n)/));

function provider(overrides: Partial<ProviderConfig> = {}, options: OllamaProviderOptions = {}): ChatProvider {
  const created = createOllamaProvider({ id: 'ollama-test', type: 'ollama', base_url: baseUrl, default_max_tokens: 4096, ...overrides }, options);
  providers.push(created);
  return created;
}

const question: ChatCall = {
  specificationVersion: 1,
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'Why is the sky blue?' }] }],
  maxOutputTokens: 20,
};

const call = (signal: AbortSignal = new AbortController().signal, chatCall: ChatCall = question): ProviderCall => ({ model: 'llama3.2', call: chatCall, signal });

async function collect(chatProvider: ChatProvider, signal?: AbortSignal, chatCall?: ChatCall): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of chatProvider.stream(call(signal, chatCall))) parts.push(streamPartSchema.parse(part));
  return parts;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('createOllamaProvider against a local server', () => {
  it('generates: posts /api/chat with the upstream model, converts the answer', async () => {
    replay.fallback = json(200, fixture('chat-text.json'));
    const result = await provider().generate(call());
    expect(result).toEqual({
      content: [{ type: 'text', text: 'The sky is blue because of Rayleigh scattering.' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 34, outputTokens: 12, totalTokens: 46 },
      response: { modelId: 'llama3.2' },
    });
    expect(received()[0]).toEqual({
      method: 'POST',
      url: '/api/chat',
      body: { model: 'llama3.2', messages: [{ role: 'user', content: 'Why is the sky blue?' }], stream: false, options: { num_predict: 20 } },
    });
  });

  it('generates tool calls', async () => {
    replay.fallback = json(200, fixture('chat-tool-calls.json'));
    const result = await provider().generate(call());
    expect(result.finishReason.unified).toBe('tool-calls');
    const [toolCall] = result.content;
    expect(toolCall?.type).toBe('tool-call');
    expect(JSON.parse(toolCall?.type === 'tool-call' ? toolCall.input : '')).toEqual({ format: 'celsius', location: 'Paris, FR' });
  });

  it('returns the warnings of settings Ollama cannot honour, and does not send them', async () => {
    replay.fallback = json(200, fixture('chat-text.json'));
    const result = await provider().generate(call(undefined, { ...question, user: 'someone' }));
    expect(result.warnings).toEqual([{ type: 'unsupported-setting', setting: 'user' }]);
    expect(received()[0]?.body).not.toHaveProperty('user');
  });

  it('rejects an image link before calling Ollama, naming the spec part', async () => {
    const withLink: ChatCall = { ...question, prompt: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }] };
    expect(await rejection(provider().generate(call(undefined, withLink)))).toMatchObject({ code: 'unsupported_value', param: 'prompt[0].content[0]' });
    expect(replay.received).toHaveLength(0);
  });

  it('streams text', async () => {
    replay.fallback = ndjson(fixture('chat-text.ndjson'));
    const parts = await collect(provider());
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(parts[0]).toEqual({ type: 'stream-start', warnings: [] });
    expect(received()[0]?.body).toMatchObject({ stream: true });
  });

  it('streams the warnings in stream-start', async () => {
    replay.fallback = ndjson(fixture('chat-text.ndjson'));
    const parts = await collect(provider(), undefined, { ...question, parallelToolCalls: false });
    expect(parts[0]).toEqual({ type: 'stream-start', warnings: [expect.objectContaining({ setting: 'parallelToolCalls' })] });
  });

  it('streams tool calls', async () => {
    replay.fallback = ndjson(fixture('chat-tool-calls.ndjson'));
    const parts = await collect(provider());
    expect(parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolName] : []))).toEqual(['get_current_weather', 'get_time']);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('throws upstream_malformed_response when the body ends before done', async () => {
    replay.fallback = ndjson(fixture('chat-cut.ndjson'));
    expect((await rejection(collect(provider()))).code).toBe('upstream_malformed_response');
  });

  it('throws upstream_unreachable when the connection drops mid-stream', async () => {
    replay.fallback = (response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(fixture('chat-cut.ndjson'), () => setTimeout(() => response.socket?.destroy(), 20));
    };
    expect((await rejection(collect(provider()))).code).toBe('upstream_unreachable');
  });

  it('throws upstream_malformed_response for a malformed line', async () => {
    replay.fallback = ndjson(`${fixture('chat-cut.ndjson')}{"model":"llama3.2","message":\n`);
    expect((await rejection(collect(provider()))).code).toBe('upstream_malformed_response');
  });

  it('throws upstream_error for an {error} line mid-stream', async () => {
    replay.fallback = ndjson(`${fixture('chat-cut.ndjson')}{"error":"llama runner process has terminated: exit status 2"}\n`);
    expect((await rejection(collect(provider()))).code).toBe('upstream_error');
  });

  it('throws upstream_malformed_response for a non-JSON body', async () => {
    replay.fallback = json(200, '{"model":"llama3.2","message":');
    expect((await rejection(provider().generate(call()))).code).toBe('upstream_malformed_response');
  });

  it('maps 404 model not found to upstream_not_found with Ollama\'s message', async () => {
    replay.fallback = json(404, fixture('error-model-not-found.json'));
    const error = await rejection(provider().generate(call()));
    expect(error).toMatchObject({ code: 'upstream_not_found', message: expect.stringContaining('not found, try pulling it first') });
  });

  it('maps 429 with retry-after to upstream_rate_limited', async () => {
    replay.fallback = (response) => response.writeHead(429, { 'retry-after': '2' }).end('{"error":"too many requests"}');
    expect(await rejection(collect(provider()))).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 2000 });
  });

  it('maps 500 to upstream_error', async () => {
    replay.fallback = json(500, '{"error":"llama runner process has terminated: signal: killed"}');
    expect((await rejection(provider().generate(call()))).code).toBe('upstream_error');
  });

  it('maps an abort before the answer to request_cancelled', async () => {
    replay.fallback = () => undefined; // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(provider().generate(call(controller.signal)))).code).toBe('request_cancelled');
  });

  it('maps an abort mid-stream to request_cancelled', async () => {
    replay.fallback = (response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(fixture('chat-cut.ndjson')); // then nothing more
    };
    const controller = new AbortController();
    const error = await rejection(
      (async () => {
        for await (const part of provider().stream(call(controller.signal))) if (part.type === 'text-delta') controller.abort();
      })(),
    );
    expect(error.code).toBe('request_cancelled');
  });

  it('maps a headers timeout to upstream_timeout', async () => {
    replay.fallback = () => undefined;
    expect((await rejection(provider({}, { headersTimeoutMs: 100 }).generate(call()))).code).toBe('upstream_timeout');
  });

  it('maps connection refused to upstream_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await rejection(provider({ base_url: `http://127.0.0.1:${port}` }).generate(call()))).code).toBe('upstream_unreachable');
  });

  it('lists models from /api/tags', async () => {
    replay.fallback = json(200, fixture('tags.json'));
    expect(await provider().listModels(new AbortController().signal)).toEqual(['llama3.2:latest', 'qwen3:8b']);
    expect(received()[0]).toMatchObject({ method: 'GET', url: '/api/tags' });
  });

  it('rejects calls after close, and closes twice without error', async () => {
    const closing = provider();
    await closing.close?.();
    await closing.close?.();
    expect((await rejection(closing.generate(call()))).code).toBe('upstream_unreachable');
  });
});
