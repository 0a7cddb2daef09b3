import type { JsonReply } from '../exchange.js';
import { optionalFaultNumber, type ErrorFaultName, type FaultOptions } from '../faults.js';

/** Ollama's error envelope: `{"error":"..."}`. */
export function ollamaError(status: number, message: string, headers: Record<string, string> = {}): JsonReply {
  return { status, body: { error: message }, headers };
}

export function ollamaBadRequest(message: string): JsonReply {
  return ollamaError(400, message);
}

export function ollamaModelNotFound(model: string): JsonReply {
  return ollamaError(404, `model "${model}" not found, try pulling it first`);
}

/** Ollama has no keys of its own; a proxy in front of it (or Ollama's cloud) answers this. */
export function ollamaUnauthorized(): JsonReply {
  return ollamaError(401, 'unauthorized');
}

/** Ollama's response to each error fault. */
export function ollamaFaultReply(fault: ErrorFaultName, options: FaultOptions): JsonReply {
  switch (fault) {
    case '429': {
      const retryAfter = optionalFaultNumber(options, 'retry_after');
      return ollamaError(429, 'too many requests', retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
    }
    case '500':
      return ollamaError(500, 'llama runner process has terminated: exit status 2');
    case '503':
      return ollamaError(503, 'server busy, please try again.  maximum pending requests exceeded');
    case 'context_length':
      return ollamaBadRequest('the input length exceeds the context length');
    case 'content_filter':
      return ollamaBadRequest('content blocked by content filtering policy');
    case 'auth':
      return ollamaUnauthorized();
  }
}
