import { GatewayError, toGatewayError, upstreamHttpError, upstreamTransportError } from '@ailb/shared';
import { NETWORK_TIMEOUT_CODES, networkErrorCode, unexpectedUpstreamError } from '../network-error-code.js';

/** What the error mapping needs to know about the call that failed. */
export interface OpenAIErrorContext {
  /** Provider deployment id. */
  provider: string;
  /** The deployment's API key, removed from every message. */
  apiKey: string | undefined;
}

/** The `error` object of an OpenAI error body (or of an error event inside a stream). */
interface OpenAIErrorObject {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  param?: unknown;
}

/**
 * An error object sent inside a stream has no HTTP status; this picks the one its `type` or numeric
 * `code` stands for (vLLM-style servers put the status in `code`), and 500 otherwise.
 */
export function statusOfStreamError(body: { type?: unknown; code?: unknown } | undefined): number {
  if (typeof body?.code === 'number' && body.code >= 400 && body.code <= 599) return body.code;
  if (body?.type === 'invalid_request_error') return 400;
  if (body?.type === 'rate_limit_error' || body?.code === 'rate_limit_exceeded') return 429;
  return 500;
}

/** Longest raw (non-JSON) provider text carried into a message. */
const MAX_DETAIL_LENGTH = 500;

function classify(context: OpenAIErrorContext, status: number, error: OpenAIErrorObject | undefined, rawText: string | undefined, retryAfter: string | null | undefined): GatewayError {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  return upstreamHttpError({
    provider: context.provider,
    status,
    message: typeof error?.message === 'string' ? error.message : rawText,
    providerCode: code ?? type,
    param: typeof error?.param === 'string' ? error.param : null,
    retryAfter,
    secrets: [context.apiKey],
  });
}

/** `retry-after-ms` is more precise than `retry-after` when OpenAI sends both. */
function retryAfter(headers: Record<string, string | string[] | undefined>): string | undefined {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const milliseconds = first(headers['retry-after-ms']);
  if (milliseconds && Number.isFinite(Number(milliseconds))) return String(Number(milliseconds) / 1000);
  return first(headers['retry-after']);
}

/**
 * A non-2xx answer, read as the official SDK reads it: the body's `error.message`, `code` (or `type`)
 * and `param`; a body that is not OpenAI's JSON counts by its text; no body, by its status alone.
 */
export function openAIHttpError(context: OpenAIErrorContext, status: number, bodyText: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  let error: OpenAIErrorObject | undefined;
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown } | null;
    if (parsed !== null && typeof parsed === 'object' && typeof parsed.error === 'object' && parsed.error !== null) error = parsed.error as OpenAIErrorObject;
    else if (parsed !== null && typeof parsed === 'object') error = parsed as OpenAIErrorObject;
  } catch {
    // Not JSON (a proxy's page, say): its text is the best description there is.
  }
  const text = bodyText.trim();
  return classify(context, status, error, text === '' ? undefined : text.slice(0, MAX_DETAIL_LENGTH), retryAfter(headers));
}

/** An `{"error": …}` event inside a stream, classified like the HTTP error its type stands for. */
export function openAIStreamError(context: OpenAIErrorContext, error: unknown): GatewayError {
  const body = typeof error === 'object' && error !== null ? (error as OpenAIErrorObject) : { message: String(error) };
  return classify(context, statusOfStreamError(body), body, undefined, undefined);
}

/**
 * Classifies anything thrown while calling an OpenAI-compatible server into a {@link GatewayError}:
 * once the call's signal fired, whatever failed is the cancellation itself; then catalog errors pass
 * through, network failures and timeouts become transport errors, unparseable JSON is a malformed
 * answer. Only the error code of a network failure is kept: its text names internal addresses.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext & { signal: AbortSignal }): GatewayError {
  const { provider } = context;
  const secrets = [context.apiKey];
  if (context.signal.aborted) return new GatewayError('request_cancelled', 'The request was cancelled', { provider, cause: error });
  if (error instanceof GatewayError) return error;
  if (error instanceof SyntaxError) return upstreamTransportError(provider, 'malformed', 'the body is not valid JSON', secrets);
  const code = networkErrorCode(error);
  // A connection never accepted in time is a timeout, as the SDK classified it.
  if (code !== undefined && (NETWORK_TIMEOUT_CODES.has(code) || code === 'UND_ERR_CONNECT_TIMEOUT')) return upstreamTransportError(provider, 'timeout', `no answer in time (${code})`, secrets);
  if (code !== undefined) return upstreamTransportError(provider, 'unreachable', `connection failed (${code})`, secrets);
  return unexpectedUpstreamError(error, provider, secrets) ?? toGatewayError(error);
}
