import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { mapOllamaError, ollamaHttpError } from './map-ollama-error.js';

const context = { provider: 'ollama-local', signal: new AbortController().signal };
const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('ollamaHttpError', () => {
  it.each([
    [404, '{"error":"model \\"llama3.3\\" not found, try pulling it first"}', 'upstream_not_found'],
    [400, '{"error":"invalid options: foo"}', 'upstream_bad_request'],
    [500, '{"error":"llama runner process has terminated: signal: killed"}', 'upstream_error'],
    [503, '{"error":"server busy, please try again.  maximum pending requests exceeded"}', 'upstream_overloaded'],
    [502, '<html>Bad Gateway</html>', 'upstream_error'],
  ] as const)('HTTP %i → %s', (status, body, code) => {
    expect(ollamaHttpError('ollama-local', status, body).code).toBe(code);
  });

  it('uses the error text of the body and Retry-After', () => {
    const error = ollamaHttpError('ollama-local', 429, '{"error":"too many requests"}', '3');
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 3000 });
    expect(error.message).toContain('too many requests');
  });
});

describe('mapOllamaError', () => {
  it.each([
    ['ECONNREFUSED', 'upstream_unreachable'],
    ['ECONNRESET', 'upstream_unreachable'],
    ['UND_ERR_SOCKET', 'upstream_unreachable'],
    ['UND_ERR_HEADERS_TIMEOUT', 'upstream_timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'upstream_timeout'],
  ])('%s → %s', (code, expected) => {
    expect(mapOllamaError(withCode(code), context).code).toBe(expected);
  });

  it('looks into AggregateErrors (dual-stack connect) without naming the address', () => {
    const error = new AggregateError([withCode('ECONNREFUSED', 'connect ECONNREFUSED ::1:11434')], 'connect failed');
    const mapped = mapOllamaError(error, context);
    expect(mapped.code).toBe('upstream_unreachable');
    expect(mapped.message).not.toContain('11434');
  });

  it('maps anything after the signal fired to request_cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(mapOllamaError(withCode('UND_ERR_ABORTED'), { ...context, signal: controller.signal }).code).toBe('request_cancelled');
  });

  it('maps a JSON syntax error to upstream_malformed_response, passes GatewayErrors, hides the rest', () => {
    expect(mapOllamaError(new SyntaxError('Unexpected end of JSON input'), context).code).toBe('upstream_malformed_response');
    const gatewayError = new GatewayError('invalid_value', 'bad');
    expect(mapOllamaError(gatewayError, context)).toBe(gatewayError);
    expect(mapOllamaError(new Error('surprise'), context).code).toBe('internal_error');
  });
});
