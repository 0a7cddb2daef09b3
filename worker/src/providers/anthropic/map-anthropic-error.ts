import { GatewayError, toGatewayError, upstreamHttpError, upstreamTransportError } from '@ailb/shared';
import { CONNECT_TIMEOUT_CODES, NETWORK_TIMEOUT_CODES, networkErrorCode, unexpectedUpstreamError } from '../network-error-code.js';

/** What the error mapping needs to know about the call that failed. */
export interface AnthropicErrorContext {
  /** The deployment id, named in messages and set on the error. */
  provider: string;
  /** The deployment's key, removed from any text that reaches a message. */
  apiKey?: string | undefined;
}

/** Response headers as undici gives them (lower-case names). */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

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

// Connections never accepted in time (CONNECT_TIMEOUT_CODES): the SDK called any failure whose text
// said "timeout" or "timed out" a timeout, these included, so they stay `upstream_timeout` here.

/** Longest provider text (from a body that is not Anthropic's error JSON) carried into a message. */
const MAX_DETAIL_LENGTH = 500;

/** What an error body says, read as the official SDK reads it. */
interface ErrorBodyReading {
  message: string;
  type: string | undefined;
}

/**
 * Reads an error body: Anthropic's `{"type":"error","error":{"type","message"}}` gives its message and
 * type; other JSON counts by its top-level `message`, else as JSON text; a body that is not JSON (a
 * proxy's page) by its text; no body at all as the SDK put it, "status code (no body)".
 */
function readErrorBody(bodyText: string): ErrorBodyReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    return { message: text === '' ? 'status code (no body)' : truncate(text), type: undefined };
  }
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown; message?: unknown }) : undefined;
  const error = typeof body?.error === 'object' && body.error !== null ? (body.error as { type?: unknown; message?: unknown }) : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  if (typeof error?.message === 'string') return { message: truncate(error.message), type };
  if (typeof body?.message === 'string') return { message: truncate(body.message), type };
  return { message: truncate(JSON.stringify(parsed)), type };
}

/**
 * Classifies a non-2xx answer from its status, body text and headers (for `retry-after`), like the
 * SDK's status errors were classified. The API key never reaches the message.
 */
export function anthropicHttpError(context: AnthropicErrorContext, status: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  const { message, type } = readErrorBody(bodyText);
  const retryAfter = headers['retry-after'];
  return upstreamHttpError({
    provider: context.provider,
    status,
    message,
    providerCode: type,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    secrets: [context.apiKey],
  });
}

/**
 * Classifies the `data` of an `event: error` inside a 200 stream by its error type, as the HTTP error
 * of that type would be; an unknown or missing type counts as Anthropic's generic `api_error` (500).
 */
export function anthropicStreamError(context: AnthropicErrorContext, data: string): GatewayError {
  const { message, type } = readErrorBody(data);
  const status = (type !== undefined && Object.hasOwn(STATUS_BY_ERROR_TYPE, type) ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
  return upstreamHttpError({ provider: context.provider, status, message, providerCode: type, secrets: [context.apiKey] });
}

/**
 * Maps anything thrown while calling Anthropic to a {@link GatewayError}. Once the call's signal fired,
 * whatever failed is the cancellation itself (`request_cancelled`, also for a stream aborted mid-way);
 * catalog errors (HTTP and in-stream errors already classified) pass through; connect, header and
 * body timeouts become `upstream_timeout`; refused, reset or broken connections `upstream_unreachable`;
 * unparseable JSON `upstream_malformed_response`. Only a network failure's code is kept: its text
 * names internal addresses.
 *
 * @param bodyStarted - True once a 2xx answer's headers arrived: a connection lost then cut the answer short.
 */
export function mapAnthropicError(
  error: unknown,
  context: AnthropicErrorContext & { signal?: AbortSignal | undefined },
  bodyStarted = false,
): GatewayError {
  const { provider } = context;
  const secrets = [context.apiKey];
  if (context.signal?.aborted === true || isAbortError(error)) {
    return new GatewayError('request_cancelled', 'The request was cancelled', { provider, cause: error });
  }
  if (error instanceof GatewayError) return error;
  if (error instanceof SyntaxError) {
    return upstreamTransportError(provider, 'malformed', 'the response is not valid JSON', secrets);
  }
  const code = networkErrorCode(error);
  if (code !== undefined && (NETWORK_TIMEOUT_CODES.has(code) || CONNECT_TIMEOUT_CODES.has(code))) {
    return upstreamTransportError(provider, 'timeout', `no answer in time (${code})`, secrets);
  }
  if (code !== undefined) {
    // The words the SDK-based adapter used, so messages stay the same.
    const detail = bodyStarted ? 'the connection closed before the response was complete' : `connection failed (${code})`;
    return upstreamTransportError(provider, 'unreachable', detail, secrets);
  }
  return unexpectedUpstreamError(error, provider, secrets) ?? toGatewayError(error);
}

/** undici's own abort error, or a DOM-style one, for a signal that fired before the caller saw it. */
function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return code === 'UND_ERR_ABORTED' || name === 'AbortError';
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}
