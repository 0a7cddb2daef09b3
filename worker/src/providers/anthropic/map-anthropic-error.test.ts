import { GatewayError } from '@ailb/shared';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AnthropicError,
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { mapAnthropicError } from './map-anthropic-error.js';

const API_KEY = 'sk-ant-api03-unit-SECRET-abcdef0123456789';
const CONTEXT = { provider: 'anthropic-unit', apiKey: API_KEY };

/** What the SDK throws for an `error` event inside a 200 stream: an APIError without a status. */
function streamErrorEvent(type: string, message: string): APIError {
  const body = { type: 'error', error: { type, message } };
  return new APIError(undefined, body, undefined, new Headers(), type as APIError['type']);
}

describe('mapAnthropicError', () => {
  it.each([
    ['overloaded_error', 'upstream_overloaded'],
    ['rate_limit_error', 'upstream_rate_limited'],
    ['api_error', 'upstream_error'],
    ['authentication_error', 'upstream_auth_failed'],
    ['invalid_request_error', 'upstream_bad_request'],
    ['timeout_error', 'upstream_timeout'],
    ['some_future_error', 'upstream_error'],
  ])('classifies an in-stream %s event like its HTTP status (%s)', (type, code) => {
    const error = mapAnthropicError(streamErrorEvent(type, 'Something happened'), CONTEXT);
    expect(error).toMatchObject({ code, provider: 'anthropic-unit' });
    expect(error.message).toContain('Something happened');
  });

  it('classifies an in-stream prompt-too-long error as context_length_exceeded', () => {
    const error = mapAnthropicError(streamErrorEvent('invalid_request_error', 'prompt is too long: 1 tokens > 0 maximum'), CONTEXT);
    expect(error.code).toBe('context_length_exceeded');
  });

  it('uses the retry-after header of an HTTP error', () => {
    const body = { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } };
    const error = mapAnthropicError(APIError.generate(429, body, undefined, new Headers({ 'retry-after': '12' })), CONTEXT);
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 12_000 });
  });

  it('uses the text of a non-JSON error body, without the status prefix and without the key', () => {
    const error = mapAnthropicError(
      APIError.generate(502, undefined, `<html>Bad gateway for key ${API_KEY}</html>`, new Headers()),
      CONTEXT,
    );
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe('Provider anthropic-unit returned HTTP 502: <html>Bad gateway for key [REDACTED]</html>');
  });

  it('maps transport failures', () => {
    expect(mapAnthropicError(new APIConnectionTimeoutError(), CONTEXT).code).toBe('upstream_timeout');
    const refused = new APIConnectionError({ cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(mapAnthropicError(refused, CONTEXT)).toMatchObject({
      code: 'upstream_unreachable',
      message: 'Provider anthropic-unit could not be reached: connection failed (ECONNREFUSED)',
    });
    const reset = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(mapAnthropicError(reset, CONTEXT).code).toBe('upstream_unreachable');
    expect(mapAnthropicError(new SyntaxError('Unexpected end of JSON input'), CONTEXT).code).toBe('upstream_malformed_response');
    expect(mapAnthropicError(new AnthropicError('Attempted to iterate over a response with no body'), CONTEXT).code).toBe(
      'upstream_malformed_response',
    );
  });

  it('maps cancellation to request_cancelled, whatever the failure looked like once the signal fired', () => {
    expect(mapAnthropicError(new APIUserAbortError(), CONTEXT)).toMatchObject({
      code: 'request_cancelled',
      message: 'The request was cancelled',
      provider: 'anthropic-unit',
    });
    const controller = new AbortController();
    controller.abort();
    const malformed = new GatewayError('upstream_malformed_response', 'stream ended');
    expect(mapAnthropicError(malformed, { ...CONTEXT, signal: controller.signal }).code).toBe('request_cancelled');
  });

  it('passes GatewayErrors through and hides unexpected errors behind internal_error', () => {
    const conversion = new GatewayError('invalid_value', 'bad arguments', { param: 'messages[0]' });
    expect(mapAnthropicError(conversion, CONTEXT)).toBe(conversion);
    const unexpected = mapAnthropicError(new RangeError(`oops ${API_KEY}`), CONTEXT);
    expect(unexpected.code).toBe('internal_error');
    expect(unexpected.message).not.toContain(API_KEY);
  });
});
