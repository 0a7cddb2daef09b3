import type { ErrorCode, GatewayError, PlannedTarget, RetryPolicy } from '@ailb/shared';
import { CONNECT_TIMEOUT_CODES, networkErrorCode } from '../providers/network-error-code.js';

/** What to do after a failed attempt that sent nothing to the client yet. */
export type NextStep = 'retry' | 'next_target' | 'stop';

/**
 * Provider-side faults are retried on the same target; a deployment that rejects AILB's credentials,
 * does not know the model or is at its concurrency limit will not improve on an immediate retry, but
 * another target may serve; a verdict on the
 * request itself (bad parameter, context too long, content policy) would be the same anywhere.
 */
export function nextStep(error: GatewayError): NextStep {
  if (error.isRetryable) return 'retry';
  if (error.code === 'upstream_auth_failed' || error.code === 'upstream_not_found' || error.code === 'target_saturated') return 'next_target';
  return 'stop';
}

/**
 * A target that said nothing: a time limit passed before it answered (connect, response headers, first
 * token, or the whole attempt). It will most likely say nothing again, so by default the attempt moves
 * to the next target at once instead of spending another time limit on the same one.
 */
export function isSilence(error: GatewayError): boolean {
  if (error.code === 'upstream_timeout') return true;
  if (error.code !== 'upstream_unreachable') return false;
  const code = networkErrorCode(error.cause);
  return code !== undefined && CONNECT_TIMEOUT_CODES.has(code);
}

/**
 * {@link nextStep} for an attempt on `target` under `retries`: a failed half-open probe has had its one
 * attempt (the circuit reopens; retrying would spend more attempts on a target known to be failing),
 * and silence moves on unless the route says `retry_on_timeout`.
 */
export function nextStepFor(error: GatewayError, target: Pick<PlannedTarget, 'probe'>, retries: Pick<RetryPolicy, 'retryOnTimeout'>): NextStep {
  const step = nextStep(error);
  if (step !== 'retry') return step;
  if (target.probe === true) return 'next_target';
  if (retries.retryOnTimeout !== true && isSilence(error)) return 'next_target';
  return 'retry';
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from many
 * requests spread out without ever retrying immediately.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

// Earlier in this list = more useful to a client deciding what to do next.
const MEANING: readonly ErrorCode[] = [
  'upstream_rate_limited',
  'target_saturated',
  'upstream_overloaded',
  'upstream_timeout',
  'upstream_error',
  'upstream_malformed_response',
  'upstream_unreachable',
  'upstream_auth_failed',
  'upstream_not_found',
];

/**
 * The error to answer with when every target failed: the most actionable one, not merely the first or
 * last (a 429 with Retry-After beats a connection reset). Among rate limits, the shortest wait wins.
 */
export function mostMeaningfulError(failures: readonly GatewayError[]): GatewayError | undefined {
  const rank = (error: GatewayError) => {
    const index = MEANING.indexOf(error.code);
    return index === -1 ? MEANING.length : index;
  };
  return [...failures].sort((a, b) => rank(a) - rank(b) || (a.retryAfterMs ?? Infinity) - (b.retryAfterMs ?? Infinity))[0];
}
