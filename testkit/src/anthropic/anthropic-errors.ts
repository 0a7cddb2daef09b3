import type { JsonReply } from '../exchange.js';
import { faultNumber, optionalFaultNumber, type ErrorFaultName, type FaultOptions } from '../faults.js';

/** Anthropic's error envelope: `{"type":"error","error":{"type","message"}}`. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): JsonReply {
  return { status, body: { type: 'error', error: { type, message } }, headers };
}

export function anthropicBadRequest(message: string): JsonReply {
  return anthropicError(400, 'invalid_request_error', message);
}

export function anthropicModelNotFound(model: string): JsonReply {
  return anthropicError(404, 'not_found_error', `model: ${model}`);
}

export function anthropicUnauthorized(presentedKey: string | null): JsonReply {
  return anthropicError(401, 'authentication_error', presentedKey === null ? 'x-api-key header is required' : 'invalid x-api-key');
}

/** Anthropic's response to each error fault. */
export function anthropicFaultReply(fault: ErrorFaultName, options: FaultOptions): JsonReply {
  switch (fault) {
    case '429': {
      const retryAfter = optionalFaultNumber(options, 'retry_after');
      return anthropicError(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      );
    }
    case '500':
      return anthropicError(500, 'api_error', 'Internal server error');
    case '503':
      // Anthropic signals overload with its non-standard 529; `overloaded=1` asks for exactly that.
      return anthropicError(faultNumber(options, 'overloaded', 0) === 1 ? 529 : 503, 'overloaded_error', 'Overloaded');
    case 'context_length':
      return anthropicBadRequest('prompt is too long: 210000 tokens > 200000 maximum');
    case 'content_filter':
      return anthropicBadRequest('Output blocked by content filtering policy');
    case 'auth':
      return anthropicUnauthorized('rejected');
  }
}
