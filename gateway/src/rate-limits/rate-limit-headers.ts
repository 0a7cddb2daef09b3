import { GatewayError, type RateLimitBucket, type RateLimitDecision } from '@ailb/shared';

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

/**
 * The headers OpenAI sends, describing the binding request bucket (`x-ratelimit-*-requests`) and the
 * binding token bucket (`x-ratelimit-*-tokens`) of a decision — each set only when the request had
 * buckets of that kind.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  const { requests, tokens } = decision;
  if (requests) {
    headers['x-ratelimit-limit-requests'] = String(requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(requests.remaining);
    headers['x-ratelimit-reset-requests'] = openAIDuration(requests.resetMs);
  }
  if (tokens) {
    headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    headers['x-ratelimit-reset-tokens'] = openAIDuration(tokens.resetMs);
  }
  return headers;
}

/** What a request bucket allows, for a 429's message: `5 per minute`, `10 per second plus a burst of 5`. */
export function describeLimit(bucket: RateLimitBucket): string {
  const burst = bucket.capacity - bucket.limit;
  return `${bucket.limit} per ${bucket.window}${burst > 0 ? ` plus a burst of ${burst}` : ''}`;
}

/** A token window as OpenAI names it in its messages: `tokens per min (TPM)`. */
const TOKEN_WINDOW_NAMES = { second: 'tokens per sec (TPS)', minute: 'tokens per min (TPM)', hour: 'tokens per hour (TPH)', day: 'tokens per day (TPD)' } as const;

/**
 * The 429 `rate_limit_exceeded` of a refused decision, in OpenAI's words. A request larger than a
 * token bucket's capacity can never be admitted: its message says so and it carries no Retry-After,
 * which would promise a time that never comes.
 */
export function rateLimitRefusal(decision: RateLimitDecision): GatewayError {
  const refusal = decision.refusal!;
  const { bucket, retryAfterMs } = refusal;
  if (bucket.unit === 'requests') {
    return new GatewayError('rate_limit_exceeded', `Rate limit reached for requests: rule "${bucket.ruleId}" allows ${describeLimit(bucket)}. Please try again in ${openAIDuration(retryAfterMs ?? 0)}.`, { retryAfterMs });
  }
  const on = `rule "${bucket.ruleId}" on ${TOKEN_WINDOW_NAMES[bucket.window]}`;
  if (retryAfterMs === undefined) {
    return new GatewayError(
      'rate_limit_exceeded',
      `Request too large for ${on}: Limit ${bucket.capacity}, Requested ${refusal.requested}. The input or output tokens must be reduced in order to run successfully (shorten the messages or lower max_tokens).`,
    );
  }
  return new GatewayError(
    'rate_limit_exceeded',
    `Rate limit reached for ${on}: Limit ${bucket.capacity}, Used ${refusal.used}, Requested ${refusal.requested}. Please try again in ${openAIDuration(retryAfterMs)}.`,
    { retryAfterMs },
  );
}
