import { GatewayError, toGatewayError, upstreamHttpError, upstreamTransportError } from '@ailb/shared';
import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';

/** What the error mapping needs to know about the call that failed. */
export interface AnthropicErrorContext {
  /** The deployment id, named in messages and set on the error. */
  provider: string;
  /** The deployment's key, removed from any text that reaches a message. */
  apiKey?: string | undefined;
  /** The call's signal: once it has fired, whatever failed was caused by the cancellation. */
  signal?: AbortSignal | undefined;
}

/**
 * The HTTP status each Anthropic error type is documented with. An `error` event inside a stream
 * comes after a 200, so its type is the only way to classify it like the equivalent HTTP error.
 */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Longest provider text (from a non-JSON error body) carried into a message. */
const MAX_DETAIL_LENGTH = 500;

/**
 * Maps anything the Anthropic SDK (or reading its stream) throws to a {@link GatewayError}:
 * HTTP errors and in-stream `error` events are classified by `upstreamHttpError`; connection
 * failures, timeouts and unparseable responses become transport errors; a cancelled call becomes
 * `request_cancelled`. The API key never reaches a message.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): GatewayError {
  const { provider, apiKey } = context;
  const secrets = [apiKey];
  if (context.signal?.aborted === true || error instanceof APIUserAbortError) {
    return new GatewayError('request_cancelled', 'The request was cancelled', { provider, cause: error });
  }
  if (error instanceof GatewayError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return upstreamTransportError(provider, 'timeout', 'no response before the client timeout', secrets);
  }
  if (error instanceof APIConnectionError) {
    return upstreamTransportError(provider, 'unreachable', describeConnectionFailure(error), secrets);
  }
  if (error instanceof APIError) {
    const status = error.status ?? statusOfErrorType(error.type);
    return upstreamHttpError({
      provider,
      status,
      message: error.apiMessage ?? truncate(stripStatusPrefix(error.message, error.status)),
      providerCode: error.type ?? undefined,
      retryAfter: error.headers?.get('retry-after'),
      secrets,
    });
  }
  if (error instanceof SyntaxError) {
    return upstreamTransportError(provider, 'malformed', 'the response is not valid JSON', secrets);
  }
  if (isConnectionLost(error)) {
    return upstreamTransportError(provider, 'unreachable', 'the connection closed before the response was complete', secrets);
  }
  if (error instanceof AnthropicError) {
    // The SDK's own complaints about a response (no body, unreadable stream) mean it was unusable.
    return upstreamTransportError(provider, 'malformed', truncate(error.message), secrets);
  }
  return toGatewayError(error);
}

/** An in-stream error of an unknown type is treated as Anthropic's generic `api_error`. */
function statusOfErrorType(type: string | null): number {
  return (type !== null && Object.hasOwn(STATUS_BY_ERROR_TYPE, type) ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
}

/** The SDK prefixes the status to a plain-text body; the status is reported separately. */
function stripStatusPrefix(message: string, status: number | undefined): string {
  return status !== undefined && message.startsWith(`${status} `) ? message.slice(`${status} `.length) : message;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/** Names the network cause (e.g. ECONNREFUSED) without repeating low-level text. */
function describeConnectionFailure(error: APIConnectionError): string {
  const code = findErrorCode(error.cause);
  return code === undefined ? 'connection failed' : `connection failed (${code})`;
}

/** True for a socket that broke while the body was being read (undici reports `terminated`). */
function isConnectionLost(error: unknown): boolean {
  if (error instanceof TypeError && error.message === 'terminated') return true;
  const code = findErrorCode(error);
  return code !== undefined && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code);
}

/** The first string `code` along an error's `cause` chain (a few levels at most). */
function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
