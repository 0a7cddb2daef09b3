import { GatewayError } from '@ailb/shared';
import { readFileSync } from 'node:fs';
import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixtures/anthropic-test-support.js';
import { anthropicHttpError, anthropicStreamError, mapAnthropicError } from './map-anthropic-error.js';

const API_KEY = 'sk-ant-api03-unit-SECRET-abcdef0123456789';
const CONTEXT = { provider: 'anthropic-unit', apiKey: API_KEY };

/** The `data` of an `event: error` inside a 200 stream. */
function streamErrorData(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

/** An error with a network code, as undici and node:net throw them. */
function networkError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('anthropicStreamError', () => {
  it.each([
    ['overloaded_error', 'upstream_overloaded'],
    ['rate_limit_error', 'upstream_rate_limited'],
    ['api_error', 'upstream_error'],
    ['authentication_error', 'upstream_auth_failed'],
    ['invalid_request_error', 'upstream_bad_request'],
    ['timeout_error', 'upstream_timeout'],
    ['some_future_error', 'upstream_error'],
  ])('classifies an in-stream %s event like its HTTP status (%s)', (type, code) => {
    const error = anthropicStreamError(CONTEXT, streamErrorData(type, 'Something happened'));
    expect(error).toMatchObject({ code, provider: 'anthropic-unit' });
    expect(error.message).toContain('Something happened');
  });

  it('classifies an in-stream prompt-too-long error as context_length_exceeded', () => {
    const error = anthropicStreamError(CONTEXT, streamErrorData('invalid_request_error', 'prompt is too long: 1 tokens > 0 maximum'));
    expect(error.code).toBe('context_length_exceeded');
  });

  it('treats error data that is not JSON as a generic server error, keeping its text but not the key', () => {
    const error = anthropicStreamError(CONTEXT, `upstream exploded for ${API_KEY}`);
    expect(error).toMatchObject({ code: 'upstream_error', message: 'Provider anthropic-unit returned HTTP 500: upstream exploded for [REDACTED]' });
  });
});

describe('anthropicHttpError', () => {
  it.each([
    ['error-authentication.json', 401, 'upstream_auth_failed'],
    ['error-overloaded.json', 529, 'upstream_overloaded'],
    ['error-prompt-too-long.json', 400, 'context_length_exceeded'],
    ['error-rate-limit.json', 429, 'upstream_rate_limited'],
  ])('classifies %s answered with HTTP %i as %s, in a stream too', (fixture, status, code) => {
    const body = readFixture<{ error: { message: string } }>(fixture);
    const http = anthropicHttpError(CONTEXT, status, JSON.stringify(body), {});
    expect(http).toMatchObject({ code, provider: 'anthropic-unit' });
    expect(http.message).toContain(body.error.message);
    expect(anthropicStreamError(CONTEXT, JSON.stringify(body)).code).toBe(code);
  });

  it('uses the retry-after header', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } });
    expect(anthropicHttpError(CONTEXT, 429, body, { 'retry-after': '12' })).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 12_000 });
    expect(anthropicHttpError(CONTEXT, 429, body, { 'retry-after': ['3', '4'] }).retryAfterMs).toBe(3000);
  });

  it('uses the text of a non-JSON error body, without the key', () => {
    const error = anthropicHttpError(CONTEXT, 502, `<html>Bad gateway for key ${API_KEY}</html>`, {});
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe('Provider anthropic-unit returned HTTP 502: <html>Bad gateway for key [REDACTED]</html>');
  });

  it('classifies a proxy page by its status, keeping at most 500 characters of it', () => {
    const page = readFileSync(new URL('./fixtures/error-bad-gateway.html', import.meta.url), 'utf8');
    expect(anthropicHttpError(CONTEXT, 502, page, {}).message).toContain('<title>502 Bad Gateway</title>');
    const long = anthropicHttpError(CONTEXT, 503, 'x'.repeat(2000), {});
    expect(long.code).toBe('upstream_overloaded');
    expect(long.message).toBe(`Provider anthropic-unit returned HTTP 503: ${'x'.repeat(500)}…`);
  });

  it('reads other JSON as the SDK did: its message, else the JSON itself', () => {
    expect(anthropicHttpError(CONTEXT, 500, '{"message":"internal failure"}', {}).message).toBe('Provider anthropic-unit returned HTTP 500: internal failure');
    expect(anthropicHttpError(CONTEXT, 500, '{"detail":"gone"}', {}).message).toBe('Provider anthropic-unit returned HTTP 500: {"detail":"gone"}');
  });

  it('classifies an answer without a body by its status', () => {
    expect(anthropicHttpError(CONTEXT, 503, '', {})).toMatchObject({
      code: 'upstream_overloaded',
      message: 'Provider anthropic-unit returned HTTP 503: status code (no body)',
    });
    expect(anthropicHttpError(CONTEXT, 404, '', {}).code).toBe('upstream_not_found');
  });
});

describe('mapAnthropicError', () => {
  it('maps timeouts to upstream_timeout, a connect timeout too (as the SDK did)', () => {
    expect(mapAnthropicError(new errors.HeadersTimeoutError(), CONTEXT)).toMatchObject({
      code: 'upstream_timeout',
      message: 'Provider anthropic-unit timed out: no answer in time (UND_ERR_HEADERS_TIMEOUT)',
    });
    expect(mapAnthropicError(new errors.BodyTimeoutError(), CONTEXT, true).code).toBe('upstream_timeout');
    expect(mapAnthropicError(new errors.ConnectTimeoutError(), CONTEXT).code).toBe('upstream_timeout');
    expect(mapAnthropicError(networkError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.7:443'), CONTEXT).code).toBe('upstream_timeout');
  });

  it('maps connection failures to upstream_unreachable, naming only the code', () => {
    expect(mapAnthropicError(networkError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:443'), CONTEXT)).toMatchObject({
      code: 'upstream_unreachable',
      message: 'Provider anthropic-unit could not be reached: connection failed (ECONNREFUSED)',
    });
    // Dual-stack connects fail with every address's error at once.
    const dualStack = new AggregateError([networkError('ECONNREFUSED'), networkError('ENETUNREACH')], 'connect failed');
    expect(mapAnthropicError(dualStack, CONTEXT).code).toBe('upstream_unreachable');
    expect(mapAnthropicError(networkError('ECONNRESET'), CONTEXT).code).toBe('upstream_unreachable');
  });

  it('says when the connection broke after the answer had started', () => {
    const error = mapAnthropicError(new errors.SocketError('other side closed'), CONTEXT, true);
    expect(error).toMatchObject({
      code: 'upstream_unreachable',
      message: 'Provider anthropic-unit could not be reached: the connection closed before the response was complete',
    });
  });

  it('maps unparseable JSON to upstream_malformed_response', () => {
    expect(mapAnthropicError(new SyntaxError('Unexpected end of JSON input'), CONTEXT).code).toBe('upstream_malformed_response');
  });

  it('maps cancellation to request_cancelled, whatever the failure looked like once the signal fired', () => {
    expect(mapAnthropicError(new errors.RequestAbortedError(), CONTEXT)).toMatchObject({
      code: 'request_cancelled',
      message: 'The request was cancelled',
      provider: 'anthropic-unit',
    });
    const controller = new AbortController();
    controller.abort();
    const malformed = new GatewayError('upstream_malformed_response', 'stream ended');
    expect(mapAnthropicError(malformed, { ...CONTEXT, signal: controller.signal }).code).toBe('request_cancelled');
    expect(mapAnthropicError(new errors.SocketError('closed'), { ...CONTEXT, signal: controller.signal }, true).code).toBe('request_cancelled');
  });

  it('passes GatewayErrors through and hides unexpected errors behind internal_error', () => {
    const conversion = new GatewayError('invalid_value', 'bad arguments', { param: 'messages[0]' });
    expect(mapAnthropicError(conversion, CONTEXT)).toBe(conversion);
    const unexpected = mapAnthropicError(new RangeError(`oops ${API_KEY}`), CONTEXT);
    expect(unexpected.code).toBe('internal_error');
    expect(unexpected.message).not.toContain(API_KEY);
  });
});
