import { upstreamTransportError, type GatewayError } from '@ailb/shared';

/** undici's timeouts while waiting for a server that did accept the connection. */
export const NETWORK_TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Connections never accepted in time (undici's connect timeout, the OS's). */
export const CONNECT_TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * Codes meaning the connection failed or broke rather than the server answering. A connect timeout is
 * here too: the server never accepted the call, which for routing is the same as a refused connection.
 */
export const NETWORK_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/**
 * The first network error code (failure or timeout) found on an error, the first of an AggregateError
 * (dual-stack connects) or its cause chain (fetch wraps socket errors in `TypeError`).
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string' && (NETWORK_FAILURE_CODES.has(code) || NETWORK_TIMEOUT_CODES.has(code))) return code;
  if (Array.isArray(errors) && errors.length > 0) {
    const inner = networkErrorCode(errors[0], depth + 1);
    if (inner) return inner;
  }
  return networkErrorCode(cause, depth + 1);
}

/** Any string `code` on an error or its cause chain. */
function anyErrorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return typeof code === 'string' ? code : anyErrorCode(cause, depth + 1);
}

/**
 * What is left of an upstream call's failure once cancellation, catalog errors, unparseable JSON and
 * the known network codes are handled. An error with any other code is a connection that failed: TLS
 * (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `EPROTO`…) or undici's own (`UND_ERR_…`). A
 * TypeError is an answer whose shape the decoder could not read (`null` where an object belongs). Both
 * are the provider's failure, so they are retryable transport errors: the plan fails over and the
 * circuit counts them, where `internal_error` would stop the plan and blame AILB. Only the code is
 * kept (its text can name internal addresses); the error itself stays as the cause, for logs.
 */
export function unexpectedUpstreamError(error: unknown, provider: string, secrets: ReadonlyArray<string | undefined>): GatewayError | undefined {
  const code = anyErrorCode(error);
  if (code !== undefined) return upstreamTransportError(provider, 'unreachable', `connection failed (${code})`, secrets, error);
  if (error instanceof TypeError) return upstreamTransportError(provider, 'malformed', 'the answer does not have the expected shape', secrets, error);
  return undefined;
}
