import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../src/contracts/errors/error-catalog.js';
import { GatewayError, toGatewayError } from '../src/contracts/errors/gateway-error.js';
import { redactSecrets } from '../src/contracts/errors/redact.js';
import { parseRetryAfter, upstreamHttpError, upstreamTransportError } from '../src/contracts/errors/upstream-error.js';

describe('upstreamHttpError classification', () => {
  it.each([
    [429, undefined, 'Rate limit reached', 'upstream_rate_limited', 429, true],
    [401, undefined, 'Incorrect API key provided: sk-abcdef1234567890', 'upstream_auth_failed', 502, false],
    [403, undefined, 'forbidden', 'upstream_auth_failed', 502, false],
    [500, undefined, 'boom', 'upstream_error', 502, true],
    [503, undefined, 'unavailable', 'upstream_overloaded', 503, true],
    [529, 'overloaded_error', 'Overloaded', 'upstream_overloaded', 503, true],
    [408, undefined, 'timeout', 'upstream_timeout', 504, true],
    [504, 'timeout_error', 'Request timed out', 'upstream_timeout', 504, true],
    [400, 'context_length_exceeded', "This model's maximum context length is 128000 tokens", 'context_length_exceeded', 400, false],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', 'context_length_exceeded', 400, false],
    [400, 'content_filter', 'The response was filtered due to our content management policy', 'content_policy_violation', 400, false],
    [400, 'invalid_request_error', "Invalid value for 'temperature'", 'upstream_bad_request', 400, false],
    [422, undefined, 'unprocessable', 'upstream_bad_request', 400, false],
    [404, undefined, 'model not found', 'upstream_not_found', 404, false],
  ] as const)('HTTP %i (%s) → %s', (status, providerCode, message, code, clientStatus, retryable) => {
    const error = upstreamHttpError({ provider: 'p1', status, providerCode, message, secrets: ['sk-abcdef1234567890'] });
    expect(error.code).toBe(code);
    expect(error.status).toBe(clientStatus);
    expect(error.isRetryable).toBe(retryable);
    expect(error.provider).toBe('p1');
    expect(error.message).toContain('p1');
    expect(error.message).not.toContain('sk-abcdef1234567890');
  });

  it('passes the provider param through only on client verdicts', () => {
    expect(upstreamHttpError({ provider: 'p', status: 400, message: 'bad', param: 'temperature' }).param).toBe('temperature');
    expect(upstreamHttpError({ provider: 'p', status: 500, message: 'bad', param: 'temperature' }).param).toBeNull();
  });

  it('carries Retry-After as milliseconds', () => {
    expect(upstreamHttpError({ provider: 'p', status: 429, retryAfter: '2' }).retryAfterMs).toBe(2000);
  });

  it('classifies transport failures as retryable', () => {
    expect(upstreamTransportError('p', 'timeout', 'x').code).toBe('upstream_timeout');
    expect(upstreamTransportError('p', 'unreachable', 'ECONNRESET').isRetryable).toBe(true);
    expect(upstreamTransportError('p', 'malformed', 'bad json').status).toBe(502);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('removes known secrets and credential-looking tokens', () => {
    const text = redactSecrets('key sk-proj-abcdefghijkl and Bearer abc.def.ghi123 and api_key=hunter2hunter2 and custom-secret-value', ['custom-secret-value']);
    expect(text).not.toMatch(/sk-proj|abc\.def|hunter2|custom-secret-value/);
    expect(text).toContain('api_key=[REDACTED]');
  });
});

describe('GatewayError', () => {
  it('takes status, type and retryability from the catalog and survives a trip through a reply', () => {
    const error = new GatewayError('model_not_found', 'nope', { param: 'model', retryAfterMs: 5 });
    expect(error.status).toBe(errorCatalog.model_not_found.status);
    expect(error.type).toBe('invalid_request_error');
    expect(error.toData()).toEqual({ code: 'model_not_found', message: 'nope', param: 'model', retryAfterMs: 5 });
    expect(GatewayError.fromData(error.toData()).toData()).toEqual(error.toData());
  });

  it('hides the text of unexpected errors', () => {
    const wrapped = toGatewayError(new Error('connection string redis://user:secret@host'));
    expect(wrapped.code).toBe('internal_error');
    expect(wrapped.message).not.toContain('secret');
  });
});
