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
} from './fixtures/anthropic-test-support.js';
import { createAnthropicProvider } from './index.js';

/* Streaming end to end through the real SDK, against a local server replaying recorded SSE streams. */

const suite = useReplayServer();
const config = suite.config;

describe('AnthropicProvider.stream', () => {
  it('streams a text answer over SSE', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-text.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall()));
    expect(parts.map((part) => (part.type === 'text-delta' ? part.delta : part.type))).toEqual([
      'response-metadata',
      'Hello',
      '! How can',
      ' I help?',
      'finish',
    ]);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { promptTokens: 25, completionTokens: 15, totalTokens: 40, cachedPromptTokens: 0 },
    });
    expect(suite.server.received[0]?.body).toMatchObject({ stream: true, model: UPSTREAM_MODEL });
  });

  it('streams tool calls', async () => {
    suite.server.reply(sseReply(readFixture<unknown[]>('stream-tool-use.json')));
    const parts = await collectParts(createAnthropicProvider(config()).stream(testCall()));
    expect(parts.filter((part) => part.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1Y2z3', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'toolu_01T2a4B5c6', name: 'get_weather' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool_calls', raw: 'tool_use' } });
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
    const provider = new AnthropicProvider(config(), { logLevel: 'off' });
    const error = await gatewayFailure(collectParts(provider.stream(testCall())));
    expect(error.code).toBe('upstream_malformed_response');
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
    expect((await iterator.next()).value).toMatchObject({ type: 'response-metadata' });
    expect((await iterator.next()).value).toEqual({ type: 'text-delta', delta: 'Hello' });
    controller.abort();
    const error = await gatewayFailure(iterator.next());
    expect(error).toMatchObject({ code: 'request_cancelled', message: 'The request was cancelled' });
  });
});

