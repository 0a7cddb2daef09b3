import {
  GatewayError,
  toGatewayError,
  upstreamHttpError,
  upstreamTransportError,
} from '@ailb/shared';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { networkErrorCode } from '../network-error-code.js';

/** What the error mapping needs to know about the call that failed. */
export interface OpenAIErrorContext {
  /** Provider deployment id. */
  provider: string;
  /** The deployment's API key, removed from every message. */
  apiKey: string | undefined;
  /** The call's signal: once it has fired, any failure is the cancellation itself. */
  signal: AbortSignal;
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

/** The provider's own message: the body's `error.message`, else the raw text the SDK kept. */
function providerMessage(error: APIError): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message === 'string') return body.message;
  if (error.status === undefined) return error.message;
  // Without `error` in the body the SDK's message is "<status> <raw text>" or "<status> status code
  // (no body)"; the status is said by the shared message anyway.
  const text = error.message.replace(new RegExp(`^${error.status} `), '');
  return text === 'status code (no body)' ? undefined : text;
}

/** `retry-after-ms` is more precise than `retry-after` when OpenAI sends both. */
function retryAfter(headers: Headers | undefined): string | null | undefined {
  const milliseconds = headers?.get('retry-after-ms');
  if (milliseconds && Number.isFinite(Number(milliseconds))) return String(Number(milliseconds) / 1000);
  return headers?.get('retry-after');
}

function fromAPIError(error: APIError, context: OpenAIErrorContext): GatewayError {
  const body = error.error as { type?: unknown; code?: unknown } | undefined;
  const code = typeof error.code === 'string' ? error.code : undefined;
  return upstreamHttpError({
    provider: context.provider,
    status: error.status ?? statusOfStreamError(body),
    message: providerMessage(error),
    providerCode: code ?? error.type,
    param: error.param,
    retryAfter: retryAfter(error.headers),
    secrets: [context.apiKey],
  });
}

/**
 * Classifies anything the OpenAI SDK (or the stream conversion) threw into a {@link GatewayError}.
 * Order matters: the SDK's abort and connection errors are subclasses of `APIError`.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): GatewayError {
  const { provider } = context;
  const secrets = [context.apiKey];
  if (context.signal.aborted || error instanceof APIUserAbortError) {
    return new GatewayError('request_cancelled', 'The request was cancelled', { provider, cause: error });
  }
  if (error instanceof GatewayError) return error;
  if (error instanceof APIConnectionTimeoutError) return upstreamTransportError(provider, 'timeout', error.message, secrets);
  if (error instanceof APIConnectionError) {
    const code = networkErrorCode(error);
    return upstreamTransportError(provider, 'unreachable', code ? `${error.message} (${code})` : error.message, secrets);
  }
  if (error instanceof APIError) return fromAPIError(error, context);
  if (error instanceof SyntaxError) return upstreamTransportError(provider, 'malformed', 'the body is not valid JSON', secrets);
  // A body read that breaks mid-way surfaces from fetch as `TypeError: terminated` with the socket error as cause.
  const code = networkErrorCode(error);
  if (code || (error instanceof TypeError && error.message === 'terminated')) {
    return upstreamTransportError(provider, 'unreachable', `the connection broke (${code ?? 'terminated'})`, secrets);
  }
  return toGatewayError(error);
}
