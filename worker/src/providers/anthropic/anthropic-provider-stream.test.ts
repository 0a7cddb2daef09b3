import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider.js';
import {
  useReplayServer,
  UPSTREAM_MODEL,
  collectParts,
  gatewayFailure,
  jsonReply,
  readFixture,
  sseReply,
  sseText,
  testCall,
  testConfig,
  withOwnServer,
} from './fixtures/anthropic-test-support.js';
import { createAnthropicProvider } from './index.js';

/* Streaming end to end over HTTP, against a local server replaying recorded SSE streams. */

const suite = useReplayServer();
const config = suite.config;

describe('AnthropicProvider.stream', () => {
  it('streams a text answer over SSE', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-text.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall()));
    expect(parts.map((part) => (part.type === 'text-delta' ? part.delta : part.type))).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'Hello',
      '! How can',
      ' I help?',
      'text-end',
      'finish',
    ]);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 25, outputTokens: 15, totalTokens: 40, cachedInputTokens: 0 },
    });
    expect(suite.server.received[0]?.body).toMatchObject({ stream: true, model: UPSTREAM_MODEL });
  });

  it('streams tool calls', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-tool-use.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall()));
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_01T1x1Y2z3', toolName: 'get_weather', input: '{"location": "San Francisco, CA"}' },
      { type: 'tool-call', toolCallId: 'toolu_01T2a4B5c6', toolName: 'get_weather', input: '{"location": "Paris"}' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' } });
  });

  it('puts the warnings of settings it did not send on stream-start', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-text.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall({ presencePenalty: 1 })));
    expect(parts[0]).toEqual({ type: 'stream-start', warnings: [{ type: 'unsupported-setting', setting: 'presencePenalty' }] });
    expect(suite.server.received[0]?.body).not.toHaveProperty('presence_penalty');
  });

  it('finishes a stream whose message_stop was lost', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-missing-message-stop.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall()));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' } });
  });

  it('throws upstream_malformed_response when the stream is cut off mid-answer', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-truncated.json')));
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error.code).toBe('upstream_malformed_response');
  });

  it('maps an unparseable stream event to upstream_malformed_response', async () => {
    const [messageStart] = readFixture<unknown[]>('stream-text.json');
    suite.server.reply((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${sseText([messageStart])}event: content_block_delta\ndata: {"type": "content_blo\n\n`);
    });
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error.code).toBe('upstream_malformed_response');
  });

  it('maps stream events whose shape cannot be read to upstream_malformed_response', async () => {
    suite.server.reply(sseReply([{ type: 'message_start' }]));
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error).toMatchObject({ code: 'upstream_malformed_response' });
    expect(error.isRetryable).toBe(true);
  });

  it('maps an in-stream overloaded_error event like a 529', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-overloaded-error.json')));
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error).toMatchObject({ code: 'upstream_overloaded', provider: 'anthropic-test', isRetryable: true });
    expect(error.message).toContain('Overloaded');
  });

  it('maps an HTTP error before the stream starts', async () => {
    suite.server.reply(jsonReply(429, readFixture('error-rate-limit.json'), { 'retry-after': '3' }));
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 3000 });
  });

  it('throws request_cancelled when the signal aborts mid-stream', async () => {
    const events = readFixture<unknown[]>('stream-text.json');
    suite.server.reply(sseReply(events.slice(0, 4), { hang: true }));
    const controller = new AbortController();
    const iterator = createAnthropicProvider(config()).stream(testCall({}, controller.signal))[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: 'stream-start', warnings: [] });
    expect((await iterator.next()).value).toMatchObject({ type: 'response-metadata' });
    expect((await iterator.next()).value).toEqual({ type: 'text-start', id: '0' });
    expect((await iterator.next()).value).toEqual({ type: 'text-delta', id: '0', delta: 'Hello' });
    controller.abort();
    const error = await gatewayFailure(iterator.next());
    expect(error).toMatchObject({ code: 'request_cancelled', message: 'The request was cancelled' });
  });

  it('maps a connection broken mid-stream to upstream_unreachable, after the parts already read', async () => {
    await withOwnServer(async (ownServer) => {
      const events = readFixture<unknown[]>('stream-text.json');
      ownServer.reply((response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseText(events.slice(0, 4)));
        setTimeout(() => response.socket?.destroy(), 20);
      });
      const parts: string[] = [];
      const error = await gatewayFailure((async () => {
        for await (const part of createAnthropicProvider(testConfig(ownServer.url)).stream(testCall())) parts.push(part.type);
      })());
      expect(parts).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta']);
      expect(error).toMatchObject({ code: 'upstream_unreachable', provider: 'anthropic-test' });
      expect(error.message).toContain('the connection closed before the response was complete');
    });
  });

  it('maps a stream that goes silent to upstream_timeout', async () => {
    await withOwnServer(async (ownServer) => {
      ownServer.reply(sseReply(readFixture<unknown[]>('stream-text.json').slice(0, 4), { hang: true }));
      const provider = new AnthropicProvider(testConfig(ownServer.url), { timeoutMs: 100 });
      const error = await gatewayFailure(collectParts(provider.stream(testCall())));
      expect(error).toMatchObject({ code: 'upstream_timeout', provider: 'anthropic-test' });
    });
  });

  it('maps a plain-text error page before the stream starts', async () => {
    suite.server.reply((response) => response.writeHead(502, { 'content-type': 'text/plain' }).end('upstream connect error'));
    const error = await gatewayFailure(collectParts(createAnthropicProvider(config()).stream(testCall())));
    expect(error).toMatchObject({ code: 'upstream_error', message: 'Provider anthropic-test returned HTTP 502: upstream connect error' });
  });

  it('closes the connection of a stream the consumer stops reading', async () => {
    const hanging = sseReply(readFixture<unknown[]>('stream-text.json').slice(0, 4), { hang: true });
    const closed = new Promise<void>((resolve) => {
      suite.server.reply((response) => {
        response.on('close', () => resolve());
        hanging(response);
      });
    });
    // Stopping at the first part, before any event was read: nothing iterates the body to close it then.
    for await (const part of createAnthropicProvider(config()).stream(testCall())) if (part.type === 'stream-start') break;
    // The server sees its response closed: the adapter did not leave the socket waiting on a body nobody reads.
    await closed;
  });
});
