import { GatewayError, toGatewayError, upstreamHttpError, upstreamTransportError } from '@ailb/shared';
import { NETWORK_TIMEOUT_CODES, networkErrorCode, unexpectedUpstreamError } from '../network-error-code.js';

/** What the error mapping needs to know about the call that failed. */
export interface OllamaErrorContext {
  /** Provider deployment id. */
  provider: string;
  /** The call's signal: once it has fired, any failure is the cancellation itself. */
  signal: AbortSignal;
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
  const code = networkErrorCode(error);
  if (code !== undefined && NETWORK_TIMEOUT_CODES.has(code)) {
    return upstreamTransportError(provider, 'timeout', `no answer in time (${code})`);
  }
  if (code !== undefined) {
    // The code only: the system message names internal addresses clients have no business seeing.
    return upstreamTransportError(provider, 'unreachable', `connection failed (${code})`);
  }
  return unexpectedUpstreamError(error, provider, []) ?? toGatewayError(error);
}
