import { GatewayError } from './gateway-error.js';
import type { ErrorCode } from './error-catalog.js';
import { redactSecrets } from './redact.js';

/** What a provider adapter knows about a failed upstream call. */
export interface UpstreamFailure {
  /** Provider deployment id, named in the client-facing message. */
  provider: string;
  /** The HTTP status, when the provider answered. */
  status?: number | undefined;
  /** The provider's own error message (redacted before use). */
  message?: string | undefined;
  /** The provider's own error code/type (e.g. `context_length_exceeded`, `overloaded_error`). */
  providerCode?: string | undefined;
  /** The provider's `param`, passed through on client errors. */
  param?: string | null | undefined;
  /** The raw Retry-After header value. */
  retryAfter?: string | null | undefined;
  /** Secrets that must never appear in the message (the deployment's API key). */
  secrets?: ReadonlyArray<string | undefined>;
}

const CONTEXT_LENGTH_PATTERN = /context[_ ]length|context window|maximum context|too many tokens|prompt is too long/i;
const CONTENT_POLICY_PATTERN = /content[_ ]?(policy|filter|management)|safety system/i;

/**
 * Classifies an HTTP error answered by a provider into the catalog. Provider-side faults (5xx, 429,
 * timeouts) are retryable; the provider's verdicts on the request (4xx) pass through with its message.
 */
export function upstreamHttpError(failure: UpstreamFailure): GatewayError {
  const status = failure.status ?? 0;
  const providerText = redactSecrets(failure.message?.trim() || `HTTP ${status}`, failure.secrets);
  const hint = `${failure.providerCode ?? ''} ${providerText}`;
  let code: ErrorCode;
  if (status === 429) code = 'upstream_rate_limited';
  else if (status === 401 || status === 403) code = 'upstream_auth_failed';
  else if (status === 408 || status === 504) code = 'upstream_timeout';
  else if (status === 413) code = 'context_length_exceeded';
  else if (status === 503 || status === 529) code = 'upstream_overloaded';
  else if (status >= 500 || status === 409) code = 'upstream_error';
  else if (status === 404) code = 'upstream_not_found';
  else if (status >= 400 && CONTEXT_LENGTH_PATTERN.test(hint)) code = 'context_length_exceeded';
  else if (status >= 400 && CONTENT_POLICY_PATTERN.test(hint)) code = 'content_policy_violation';
  else if (status >= 400) code = 'upstream_bad_request';
  else code = 'upstream_malformed_response';

  const clientVerdict = code === 'upstream_bad_request' || code === 'context_length_exceeded' ||
    code === 'content_policy_violation' || code === 'upstream_not_found';
  const message = clientVerdict
    ? `${providerText} (provider ${failure.provider})`
    : `Provider ${failure.provider} returned HTTP ${status}: ${providerText}`;
  return new GatewayError(code, message, {
    provider: failure.provider,
    param: clientVerdict ? failure.param ?? null : null,
    retryAfterMs: parseRetryAfter(failure.retryAfter),
  });
}

/** A provider that could not be reached, reset the connection, or timed out. */
export function upstreamTransportError(
  provider: string,
  kind: 'unreachable' | 'timeout' | 'malformed',
  detail: string,
  secrets?: ReadonlyArray<string | undefined>,
  cause?: unknown,
): GatewayError {
  const code: ErrorCode =
    kind === 'timeout' ? 'upstream_timeout' : kind === 'malformed' ? 'upstream_malformed_response' : 'upstream_unreachable';
  const verb = kind === 'timeout' ? 'timed out' : kind === 'malformed' ? 'sent a malformed response' : 'could not be reached';
  return new GatewayError(code, `Provider ${provider} ${verb}: ${redactSecrets(detail, secrets)}`, { provider, cause });
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from now.
 * Returns undefined for a missing or unparseable value.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
