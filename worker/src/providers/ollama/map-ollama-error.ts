import { GatewayError, toGatewayError, upstreamHttpError, upstreamTransportError } from '@ailb/shared';

/** What the error mapping needs to know about the call that failed. */
export interface OllamaErrorContext {
  /** Provider deployment id. */
  provider: string;
  /** The call's signal: once it has fired, any failure is the cancellation itself. */
  signal: AbortSignal;
}

/** undici's timeouts while waiting for a server that did accept the connection. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Failures to reach the server or to keep the connection. A connect timeout is here too: the server
 * never accepted the call, which for routing is the same as a refused connection.
 */
const UNREACHABLE_CODES = new Set([
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

/** The error code of an error, of the first of an AggregateError (dual-stack connects), or of its cause. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return errorCode(cause);
}

/**
 * Classifies a non-2xx answer. Ollama's error body is `{"error": "..."}`; its 404 "model not found"
 * becomes `upstream_not_found` through the shared status table.
 */
export function ollamaHttpError(
  provider: string,
  status: number,
  bodyText: string,
  retryAfter?: string | null,
): GatewayError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown } | null;
    if (typeof parsed?.error === 'string') message = parsed.error;
  } catch {
    // Not JSON (a proxy in front of Ollama, say): its text is still the best description we have.
  }
  message ??= bodyText.trim().slice(0, 500) || undefined;
  return upstreamHttpError({ provider, status, message, retryAfter });
}

/** Classifies anything thrown while calling Ollama into a {@link GatewayError}. */
export function mapOllamaError(error: unknown, context: OllamaErrorContext): GatewayError {
  const { provider } = context;
  if (context.signal.aborted) {
    return new GatewayError('request_cancelled', 'The request was cancelled', { provider, cause: error });
  }
  if (error instanceof GatewayError) return error;
  if (error instanceof SyntaxError) return upstreamTransportError(provider, 'malformed', 'the body is not valid JSON');
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return upstreamTransportError(provider, 'timeout', `no answer in time (${code})`);
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    // The code only: the system message names internal addresses clients have no business seeing.
    return upstreamTransportError(provider, 'unreachable', `connection failed (${code})`);
  }
  return toGatewayError(error);
}
