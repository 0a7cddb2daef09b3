import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hangingReply } from '@ailb/testkit';
import { ANTHROPIC_VERSION, AnthropicProvider } from './anthropic-provider.js';
import {
  useReplayServer,
  TEST_API_KEY,
  UPSTREAM_MODEL,
  gatewayFailure,
  jsonReply,
  readFixture,
  testCall,
  testConfig,
  withOwnServer,
} from './fixtures/anthropic-test-support.js';
import { createAnthropicProvider } from './index.js';

/*
 * The adapter end to end over HTTP, against a local server replaying recorded Anthropic
 * responses: request shape, response conversion, error mapping and cancellation. Streaming is in
 * anthropic-provider-stream.test.ts.
 */

const suite = useReplayServer();
const config = suite.config;

/** The model the recorded responses say served them. */
const SERVED_MODEL = 'claude-sonnet-4-5-20250929';

describe('AnthropicProvider.generate', () => {
  it('sends a Messages API request and converts the answer', async () => {
    suite.server.reply(jsonReply(200, readFixture('message-text.json')));
    const provider = createAnthropicProvider(config());
    const result = await provider.generate(testCall({ temperature: 1.5, stopSequences: ['END'] }));

    expect(result).toEqual({
      content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 12, outputTokens: 12, totalTokens: 24, cachedInputTokens: 0 },
      response: { id: 'msg_01XFDUDYJgAACzvnptvVoYEL', modelId: SERVED_MODEL },
      warnings: [{ type: 'unsupported-setting', setting: 'temperature' }],
    });
    expect(suite.server.received).toHaveLength(1);
    const [request] = suite.server.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/messages');
    expect(request?.headers['anthropic-version']).toBeTruthy();
    const credential = `${request?.headers.authorization ?? ''} ${request?.headers['x-api-key'] ?? ''}`;
    expect(credential).toContain(TEST_API_KEY);
    expect(request?.body).toEqual({
      model: UPSTREAM_MODEL,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      max_tokens: 1024,
      stop_sequences: ['END'],
      stream: false,
    });
  });

  it('returns tool calls and usage including cache tokens', async () => {
    suite.server.reply(jsonReply(200, readFixture('message-tool-use.json')));
    const result = await createAnthropicProvider(config()).generate(testCall());
    const toolCalls = result.content.flatMap((part) => (part.type === 'tool-call' ? [part] : []));
    expect(toolCalls.map((part) => [part.toolName, JSON.parse(part.input)])).toEqual([
      ['get_weather', { location: 'San Francisco, CA', unit: 'celsius' }],
      ['get_weather', { location: 'Paris, France', unit: 'celsius' }],
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(result.usage).toMatchObject({ inputTokens: 3544, cachedInputTokens: 2048 });
  });

  it('does not send settings Anthropic lacks, and returns them as warnings', async () => {
    suite.server.reply(jsonReply(200, readFixture('message-text.json')));
    const result = await createAnthropicProvider(config()).generate(testCall({ seed: 3, frequencyPenalty: 0.2 }));
    expect(result.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'seed' },
      { type: 'unsupported-setting', setting: 'frequencyPenalty' },
    ]);
    expect(suite.server.received[0]?.body).not.toHaveProperty('seed');
    expect(suite.server.received[0]?.body).not.toHaveProperty('frequency_penalty');
  });

  it('maps 429 to upstream_rate_limited with Retry-After, without retrying', async () => {
    suite.server.reply(jsonReply(429, readFixture('error-rate-limit.json'), { 'retry-after': '7' }));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_rate_limited', provider: 'anthropic-test', retryAfterMs: 7000, isRetryable: true });
    expect(error.message).toContain('rate limit');
    expect(suite.server.received).toHaveLength(1);
  });

  it('maps 529 overloaded_error to upstream_overloaded', async () => {
    suite.server.reply(jsonReply(529, readFixture('error-overloaded.json')));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_overloaded', status: 503, isRetryable: true });
    expect(suite.server.received).toHaveLength(1);
  });

  it("maps Anthropic's 400 'prompt is too long' to context_length_exceeded with its message", async () => {
    suite.server.reply(jsonReply(400, readFixture('error-prompt-too-long.json')));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'context_length_exceeded', status: 400, isRetryable: false });
    expect(error.message).toContain('prompt is too long: 208310 tokens > 200000 maximum');
  });

  it('maps 401 to upstream_auth_failed and never puts the key in the message', async () => {
    // A proxy in front of Anthropic may echo the credential it rejected.
    suite.server.reply(jsonReply(401, { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${TEST_API_KEY}` } }));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_auth_failed', status: 502 });
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(error.toData())).not.toContain(TEST_API_KEY);
  });

  it('maps a non-JSON success body to upstream_malformed_response', async () => {
    suite.server.reply(jsonReply(200, '{"id": "msg_cut'));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error.code).toBe('upstream_malformed_response');
  });

  it('maps a success body whose content cannot be read to upstream_malformed_response', async () => {
    suite.server.reply(jsonReply(200, JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [null], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } })));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_malformed_response', provider: 'anthropic-test' });
    expect(error.isRetryable).toBe(true);
  });

  it('maps a TLS failure (https to a plain-HTTP server) to upstream_unreachable', async () => {
    const provider = createAnthropicProvider(config({ base_url: suite.server.url.replace('http://', 'https://') }));
    const error = await gatewayFailure(provider.generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_unreachable', provider: 'anthropic-test' });
    expect(error.isRetryable).toBe(true);
  });

  it('maps a refused connection to upstream_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const provider = createAnthropicProvider(config({ base_url: `http://127.0.0.1:${port}` }));
    const error = await gatewayFailure(provider.generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_unreachable', provider: 'anthropic-test' });
  });

  it('maps the response timeout to upstream_timeout', async () => {
    await withOwnServer(async (ownServer) => {
      ownServer.reply(hangingReply);
      const provider = new AnthropicProvider(testConfig(ownServer.url), { timeoutMs: 100 });
      const error = await gatewayFailure(provider.generate(testCall()));
      expect(error).toMatchObject({ code: 'upstream_timeout', provider: 'anthropic-test' });
    });
  });

  it('throws request_cancelled when the signal aborts while Anthropic is answering', async () => {
    await withOwnServer(async (ownServer) => {
      ownServer.reply(hangingReply);
      const controller = new AbortController();
      const pending = gatewayFailure(createAnthropicProvider(testConfig(ownServer.url)).generate(testCall({}, controller.signal)));
      await ownServer.waitForRequests(1);
      controller.abort();
      expect(await pending).toMatchObject({ code: 'request_cancelled', message: 'The request was cancelled', provider: 'anthropic-test' });
    });
  });

  it('throws request_cancelled without calling Anthropic when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall({}, controller.signal)));
    expect(error.code).toBe('request_cancelled');
    expect(suite.server.received).toHaveLength(0);
  });

  it('refuses an unsupported request before calling Anthropic', async () => {
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall({ responseFormat: { type: 'json' } })));
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'responseFormat' });
    expect(suite.server.received).toHaveLength(0);
  });
});

describe('AnthropicProvider over HTTP', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("sends the SDK's headers: the API version, the key as a bearer token, JSON both ways", async () => {
    suite.server.reply(jsonReply(200, readFixture('message-text.json')));
    await createAnthropicProvider(config()).generate(testCall());
    expect(suite.server.received[0]?.headers).toMatchObject({
      'anthropic-version': ANTHROPIC_VERSION,
      authorization: `Bearer ${TEST_API_KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('appends /v1/messages to a base_url with a path, with or without a trailing slash', async () => {
    suite.server.reply(jsonReply(200, readFixture('message-text.json')), jsonReply(200, readFixture('message-text.json')));
    await createAnthropicProvider(config({ base_url: `${suite.server.url}/anthropic` })).generate(testCall());
    await createAnthropicProvider(config({ base_url: `${suite.server.url}/anthropic/` })).generate(testCall());
    expect(suite.server.received.map((request) => request.url)).toEqual(['/anthropic/v1/messages', '/anthropic/v1/messages']);
  });

  it('never reads a key from the environment: a deployment without one calls nobody', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-api03-from-env-0123456789');
    const error = await gatewayFailure(createAnthropicProvider(config({ api_key: undefined })).generate(testCall()));
    expect(error).toMatchObject({ code: 'internal_error', provider: 'anthropic-test' });
    expect(suite.server.received).toHaveLength(0);
    vi.unstubAllEnvs();
  });

  it("maps a proxy's plain-text 502 page to upstream_error with its text", async () => {
    const page = readFileSync(new URL('./fixtures/error-bad-gateway.html', import.meta.url), 'utf8');
    suite.server.reply((response) => response.writeHead(502, { 'content-type': 'text/html' }).end(page));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_error', provider: 'anthropic-test', isRetryable: true });
    expect(error.message).toContain('<title>502 Bad Gateway</title>');
  });

  it('maps an error without a body by its status', async () => {
    suite.server.reply((response) => response.writeHead(503).end());
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_overloaded', message: 'Provider anthropic-test returned HTTP 503: status code (no body)' });
  });

  it('maps JSON that is not a message to upstream_malformed_response', async () => {
    suite.server.reply(jsonReply(200, { type: 'message', id: 'msg_1' }));
    const error = await gatewayFailure(createAnthropicProvider(config()).generate(testCall()));
    expect(error).toMatchObject({ code: 'upstream_malformed_response', message: 'Provider anthropic-test sent a malformed response: the response is not an Anthropic message' });
  });

  it('maps a connection broken in the middle of the answer to upstream_unreachable', async () => {
    await withOwnServer(async (ownServer) => {
      ownServer.reply((response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        response.write('{"id": "msg_01", "type": "message", "content": [');
        setTimeout(() => response.socket?.destroy(), 20);
      });
      const error = await gatewayFailure(createAnthropicProvider(testConfig(ownServer.url)).generate(testCall()));
      expect(error).toMatchObject({ code: 'upstream_unreachable', provider: 'anthropic-test' });
      expect(error.message).toContain('the connection closed before the response was complete');
    });
  });
});

describe('AnthropicProvider.listModels', () => {
  it('lists model ids across pages', async () => {
    suite.server.reply(jsonReply(200, readFixture('models-page-1.json')), jsonReply(200, readFixture('models-page-2.json')));
    const ids = await createAnthropicProvider(config()).listModels(new AbortController().signal);
    expect(ids).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805']);
    expect(suite.server.received.map((request) => request.url)).toEqual([
      '/v1/models?limit=1000',
      '/v1/models?limit=1000&after_id=claude-haiku-4-5-20251001',
    ]);
    expect(suite.server.received[0]?.headers).toMatchObject({ 'anthropic-version': ANTHROPIC_VERSION, authorization: `Bearer ${TEST_API_KEY}` });
  });

  it('maps errors like the other calls', async () => {
    suite.server.reply(jsonReply(401, readFixture('error-authentication.json')));
    const error = await gatewayFailure(createAnthropicProvider(config()).listModels(new AbortController().signal));
    expect(error.code).toBe('upstream_auth_failed');
  });
});

describe('AnthropicProvider.close', () => {
  it('can be called more than once', async () => {
    const provider = createAnthropicProvider(config());
    await provider.close?.();
    await provider.close?.();
  });
});
