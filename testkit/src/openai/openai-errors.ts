import type { JsonReply } from '../exchange.js';
import { optionalFaultNumber, type ErrorFaultName, type FaultOptions } from '../faults.js';

/** OpenAI's error envelope: `{"error":{"message","type","param","code"}}`. */
export function openAIError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers: Record<string, string> = {},
): JsonReply {
  return { status, body: { error: { message, type, param, code } }, headers };
}

export function openAIBadRequest(message: string, param: string | null = null, code: string | null = null): JsonReply {
  return openAIError(400, message, 'invalid_request_error', param, code);
}

export function openAIModelNotFound(model: string): JsonReply {
  return openAIError(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error',
    null,
    'model_not_found',
  );
}

export function openAIInvalidJson(): JsonReply {
  return openAIBadRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );
}

/** OpenAI's 401: "You didn't provide an API key" without one, "Incorrect API key" (masked) otherwise. */
export function openAIUnauthorized(presentedKey: string | null): JsonReply {
  if (presentedKey === null) {
    return openAIError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    );
  }
  const masked = presentedKey.length > 8 ? `${presentedKey.slice(0, 3)}****${presentedKey.slice(-4)}` : '****';
  return openAIError(
    401,
    `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    null,
    'invalid_api_key',
  );
}

/** OpenAI's response to each error fault. */
export function openAIFaultReply(fault: ErrorFaultName, options: FaultOptions): JsonReply {
  switch (fault) {
    case '429': {
      const retryAfter = optionalFaultNumber(options, 'retry_after');
      return openAIError(
        429,
        `Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfter ?? 20}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'requests',
        null,
        'rate_limit_exceeded',
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      );
    }
    case '500':
      return openAIError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
    case '503':
      return openAIError(503, 'The engine is currently overloaded, please try again later.', 'server_error');
    case 'context_length':
      return openAIBadRequest(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 210000 tokens. Please reduce the length of the messages.",
        'messages',
        'context_length_exceeded',
      );
    case 'content_filter':
      return openAIBadRequest(
        "The response was filtered due to the prompt triggering OpenAI's content management policy. Please modify your prompt and retry.",
        'prompt',
        'content_filter',
      );
    case 'auth':
      return openAIUnauthorized('sk-sim-rejected-key');
  }
}
