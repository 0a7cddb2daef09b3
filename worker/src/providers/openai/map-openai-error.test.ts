import { readFileSync } from 'node:fs';
import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { mapOpenAIError, openAIHttpError, openAIStreamError, statusOfStreamError } from './map-openai-error.js';

const apiKey = 'sk-test-ailb-0123456789abcdef';
const context = { provider: 'openai-main', apiKey };
const live = { ...context, signal: new AbortController().signal };
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('openAIHttpError', () => {
  it('classifies a 400 context_length_exceeded and passes its param through', () => {
    const error = openAIHttpError(context, 400, fixture('error-context-length.json'), {});
    expect(error).toMatchObject({ code: 'context_length_exceeded', status: 400, param: 'messages', provider: 'openai-main' });
    expect(error.message).toContain('maximum context length is 128000 tokens');
  });

  it.each(['content_policy_violation', 'content_filter'])('classifies a 400 with code %s as content_policy_violation', (code) => {
    const body = JSON.parse(fixture('error-content-policy.json')) as { error: object };
    expect(openAIHttpError(context, 400, JSON.stringify({ error: { ...body.error, code } }), {}).code).toBe('content_policy_violation');
  });

  it('classifies a 429 and reads retry-after-ms before retry-after', () => {
    const error = openAIHttpError(context, 429, fixture('error-rate-limit.json'), { 'retry-after': '1', 'retry-after-ms': '120' });
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 120 });
    expect(openAIHttpError(context, 429, fixture('error-rate-limit.json'), { 'retry-after': '7' }).retryAfterMs).toBe(7000);
  });

  it('never lets the key through on a 401', () => {
    const error = openAIHttpError(context, 401, fixture('error-invalid-api-key.json').replace('sk-', `${apiKey} sk-`), {});
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.toData())).not.toContain(apiKey);
  });

  it('keeps the raw text of a non-JSON error body, and says only the status when there was no body', () => {
    expect(openAIHttpError(context, 502, 'Bad Gateway', {})).toMatchObject({ code: 'upstream_error', message: 'Provider openai-main returned HTTP 502: Bad Gateway' });
    expect(openAIHttpError(context, 503, '', {})).toMatchObject({ code: 'upstream_overloaded', message: 'Provider openai-main returned HTTP 503: HTTP 503' });
  });

  it('reads the top-level error object of vLLM-style servers', () => {
    const error = openAIHttpError(context, 400, JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens", type: 'BadRequestError', code: 400 }), {});
    expect(error).toMatchObject({ code: 'context_length_exceeded', status: 400 });
  });
});

describe('openAIStreamError', () => {
  it('maps an error object sent inside a stream as the HTTP error its type stands for', () => {
    expect(openAIStreamError(context, { message: 'The server had an error', type: 'server_error' }).code).toBe('upstream_error');
    expect(openAIStreamError(context, { message: 'Slow down', type: 'rate_limit_error' }).code).toBe('upstream_rate_limited');
    expect(statusOfStreamError({ type: 'invalid_request_error' })).toBe(400);
    expect(statusOfStreamError({ code: 429 })).toBe(429);
  });
});

describe('mapOpenAIError', () => {
  it('maps transport failures by their code only, never their text', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:443'), { code: 'ECONNREFUSED' });
    const unreachable = mapOpenAIError(refused, live);
    expect(unreachable).toMatchObject({ code: 'upstream_unreachable', message: expect.stringContaining('ECONNREFUSED') });
    expect(unreachable.message).not.toContain('10.0.0.5');
    expect(mapOpenAIError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), live).code).toBe('upstream_unreachable');
    expect(mapOpenAIError(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), live).code).toBe('upstream_timeout');
    expect(mapOpenAIError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), live).code).toBe('upstream_timeout');
    expect(mapOpenAIError(new SyntaxError('Unexpected token'), live).code).toBe('upstream_malformed_response');
  });

  it('maps cancellation, whatever the error, once the signal fired', () => {
    const controller = new AbortController();
    controller.abort();
    const malformed = new GatewayError('upstream_malformed_response', 'ended early');
    expect(mapOpenAIError(malformed, { ...context, signal: controller.signal }).code).toBe('request_cancelled');
  });

  it('passes GatewayErrors through and hides unknown errors', () => {
    const gatewayError = new GatewayError('upstream_error', 'x');
    expect(mapOpenAIError(gatewayError, live)).toBe(gatewayError);
    expect(mapOpenAIError(new Error(`boom ${apiKey}`), live)).toMatchObject({ code: 'internal_error' });
    expect(mapOpenAIError(new Error(`boom ${apiKey}`), live).message).not.toContain(apiKey);
  });
});
