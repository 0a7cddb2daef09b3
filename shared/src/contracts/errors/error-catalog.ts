/**
 * The one error catalog: every error AILB can return, with its HTTP status, the OpenAI `type` string
 * clients see, and whether trying again (same or another target) can help.
 */
export const errorCatalog = {
  // Client errors: the request is wrong; never retried, never counted against a provider.
  invalid_json: { status: 400, type: 'invalid_request_error', retryable: false },
  missing_required_parameter: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_type: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_value: { status: 400, type: 'invalid_request_error', retryable: false },
  unknown_parameter: { status: 400, type: 'invalid_request_error', retryable: false },
  unsupported_value: { status: 400, type: 'invalid_request_error', retryable: false },
  model_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', retryable: false },
  // Protocol-level errors (answered before a request reaches a route: its URL, headers or framing).
  bad_request: { status: 400, type: 'invalid_request_error', retryable: false },
  uri_too_long: { status: 414, type: 'invalid_request_error', retryable: false },
  expectation_failed: { status: 417, type: 'invalid_request_error', retryable: false },
  headers_too_large: { status: 431, type: 'invalid_request_error', retryable: false },
  // Missing, unknown, revoked or expired API key (OpenAI answers 401 invalid_request_error / invalid_api_key).
  invalid_api_key: { status: 401, type: 'invalid_request_error', retryable: false },
  // The API key may not use the requested model.
  model_not_allowed: { status: 403, type: 'invalid_request_error', retryable: false },
  // A config-file API key cannot be changed or revoked through the admin API.
  key_managed_by_config: { status: 409, type: 'invalid_request_error', retryable: false },
  request_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  // The prompt scanner found injection, smuggled role tokens or a credential under the `block` policy.
  prompt_blocked: { status: 400, type: 'invalid_request_error', retryable: false },
  // A file AILB cannot read as text (binary formats, invalid UTF-8).
  unsupported_file: { status: 400, type: 'invalid_request_error', retryable: false },
  // A vector store built with another embedding model than the embedder runs now.
  embedding_model_mismatch: { status: 409, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  // Upstream verdicts about the request: passed through with the provider's message.
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  content_policy_violation: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_bad_request: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  // Upstream failures: the provider, not the client, is at fault.
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  upstream_auth_failed: { status: 502, type: 'api_error', retryable: false },
  upstream_error: { status: 502, type: 'api_error', retryable: true },
  upstream_unreachable: { status: 502, type: 'api_error', retryable: true },
  upstream_malformed_response: { status: 502, type: 'api_error', retryable: true },
  upstream_overloaded: { status: 503, type: 'api_error', retryable: true },
  upstream_timeout: { status: 504, type: 'timeout_error', retryable: true },
  // AILB's own availability.
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', retryable: true },
  // The API key's budget for the current period is spent (OpenAI's code and type for an exhausted quota).
  insufficient_quota: { status: 429, type: 'insufficient_quota', retryable: false },
  // Not retryable on the same target (it is full); the next target may have room.
  target_saturated: { status: 429, type: 'rate_limit_error', retryable: false },
  no_worker_available: { status: 503, type: 'service_unavailable_error', retryable: true },
  no_embedder_available: { status: 503, type: 'service_unavailable_error', retryable: true },
  // The vector store (Chroma) cannot be reached by the embedder.
  knowledge_store_unavailable: { status: 503, type: 'service_unavailable_error', retryable: true },
  no_target_available: { status: 503, type: 'service_unavailable_error', retryable: true },
  queue_unavailable: { status: 503, type: 'service_unavailable_error', retryable: true },
  shutting_down: { status: 503, type: 'service_unavailable_error', retryable: true },
  reply_lost: { status: 502, type: 'api_error', retryable: true },
  // A target asked to continue a broken stream answered with another text: only an attempt's outcome,
  // never a client's answer (the stream ends with the failure that broke it).
  continuation_diverged: { status: 502, type: 'api_error', retryable: false },
  // A worker of another version (a rolling deploy) cannot read the job; another worker may.
  job_version_unsupported: { status: 503, type: 'service_unavailable_error', retryable: true },
  // A job no worker can read: a defect, not the client's fault.
  job_invalid: { status: 500, type: 'server_error', retryable: false },
  deadline_exceeded: { status: 504, type: 'timeout_error', retryable: false },
  request_cancelled: { status: 499, type: 'invalid_request_error', retryable: false },
  internal_error: { status: 500, type: 'server_error', retryable: false },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

/** Every code in the catalog. */
export type ErrorCode = keyof typeof errorCatalog;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalog, value);
}
