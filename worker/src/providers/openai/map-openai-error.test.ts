import { readFileSync } from 'node:fs';
import { GatewayError } from '@ailb/shared';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { mapOpenAIError, statusOfStreamError } from './map-openai-error.js';

const apiKey = 'sk-test-ailb-0123456789abcdef';
const context = { provider: 'openai-main', apiKey, signal: new AbortController().signal };
const body = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The error the SDK builds for a non-2xx answer. */
const httpError = (status: number, errorBody: unknown, headers: Record<string, string> = {}) =>
  APIError.generate(status, errorBody as object, undefined, new Headers(headers));

describe('mapOpenAIError', () => {
  it('classifies a 400 context_length_exceeded and passes its param through', () => {
    const error = mapOpenAIError(httpError(400, body('error-context-length.json')), context);
    expect(error).toMatchObject({ code: 'context_length_exceeded', status: 400, param: 'messages', provider: 'openai-main' });
    expect(error.message).toContain('maximum context length is 128000 tokens');
  });

  it.each(['content_policy_violation', 'content_filter'])('classifies a 400 with code %s as content_policy_violation', (code) => {
    const errorBody = { error: { ...(body('error-content-policy.json').error as object), code } };
    expect(mapOpenAIError(httpError(400, errorBody), context).code).toBe('content_policy_violation');
  });

  it('classifies a 429 and reads retry-after-ms before retry-after', () => {
    const error = mapOpenAIError(httpError(429, body('error-rate-limit.json'), { 'retry-after': '1', 'retry-after-ms': '120' }), context);
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 120 });
  });

  it('never lets the key through on a 401', () => {
    const error = mapOpenAIError(httpError(401, body('error-invalid-api-key.json')), context);
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).not.toContain(apiKey);
    expect(JSON.stringify(error.toData())).not.toContain(apiKey);
  });

  it('keeps the raw text of a non-JSON error body without the SDK status prefix', () => {
    const error = mapOpenAIError(APIError.generate(502, undefined, 'Bad Gateway', new Headers()), context);
    expect(error).toMatchObject({ code: 'upstream_error', message: 'Provider openai-main returned HTTP 502: Bad Gateway' });
  });

  it('says only the status when there was no body', () => {
    const error = mapOpenAIError(APIError.generate(503, undefined, undefined, new Headers()), context);
    expect(error).toMatchObject({ code: 'upstream_overloaded', message: 'Provider openai-main returned HTTP 503: HTTP 503' });
  });

  it('maps an error object sent inside a stream as an HTTP error', () => {
    const inStream = new APIError(undefined, { message: 'The server had an error', type: 'server_error' }, undefined, new Headers());
    expect(mapOpenAIError(inStream, context).code).toBe('upstream_error');
    expect(statusOfStreamError({ type: 'invalid_request_error' })).toBe(400);
    expect(statusOfStreamError({ code: 429 })).toBe(429);
  });

  it('maps transport failures', () => {
    expect(mapOpenAIError(new APIConnectionTimeoutError(), context).code).toBe('upstream_timeout');
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:443'), { code: 'ECONNREFUSED' });
    const unreachable = mapOpenAIError(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: refused }) }), context);
    expect(unreachable).toMatchObject({ code: 'upstream_unreachable', message: expect.stringContaining('ECONNREFUSED') });
    expect(unreachable.message).not.toContain('10.0.0.5');
    expect(mapOpenAIError(new SyntaxError('Unexpected token'), context).code).toBe('upstream_malformed_response');
    expect(mapOpenAIError(new TypeError('terminated'), context).code).toBe('upstream_unreachable');
  });

  it('maps cancellation, whatever the error, once the signal fired', () => {
    expect(mapOpenAIError(new APIUserAbortError(), context).code).toBe('request_cancelled');
    const controller = new AbortController();
    controller.abort();
    const malformed = new GatewayError('upstream_malformed_response', 'ended early');
    expect(mapOpenAIError(malformed, { ...context, signal: controller.signal }).code).toBe('request_cancelled');
  });

  it('passes GatewayErrors through and hides unknown errors', () => {
    const gatewayError = new GatewayError('upstream_error', 'x');
    expect(mapOpenAIError(gatewayError, context)).toBe(gatewayError);
    expect(mapOpenAIError(new Error(`boom ${apiKey}`), context)).toMatchObject({ code: 'internal_error' });
    expect(mapOpenAIError(new Error(`boom ${apiKey}`), context).message).not.toContain(apiKey);
  });
});
