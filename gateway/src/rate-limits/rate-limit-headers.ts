import type { RateLimitDecision } from '@ailb/shared';

/**
 * A duration in OpenAI's `x-ratelimit-reset-*` format (Go's duration notation): `20ms` below one
 * second, else hours, minutes and seconds with the seconds' fraction trimmed — `1s`, `1.5s`, `6m0s`,
 * `1h0m0s`.
 */
export function openAIDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.ceil(milliseconds));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}

/** The request-limit headers OpenAI sends, describing the binding bucket of a decision. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(decision.limit),
    'x-ratelimit-remaining-requests': String(decision.remaining),
    'x-ratelimit-reset-requests': openAIDuration(decision.resetMs),
  };
}

/** What the binding bucket allows, for a 429's message: `5 per minute`, `10 per second plus a burst of 5`. */
export function describeLimit(decision: RateLimitDecision): string {
  const { bucket } = decision;
  const burst = bucket.capacity - bucket.limit;
  return `${bucket.limit} per ${bucket.window}${burst > 0 ? ` plus a burst of ${burst}` : ''}`;
}
