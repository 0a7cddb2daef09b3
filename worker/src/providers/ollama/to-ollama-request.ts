import type { ChatRequestBody } from '@ailb/shared';
import type { OllamaChatRequest, OllamaOptions, OllamaTool } from './ollama-wire.js';
import { toOllamaMessages } from './to-ollama-messages.js';

/** OpenAI's sampling fields in Ollama's option names; unset (undefined or null) ones are left out. */
function toOllamaOptions(request: ChatRequestBody): OllamaOptions | undefined {
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  const candidates: Record<keyof OllamaOptions, unknown> = {
    temperature: request.temperature,
    top_p: request.top_p,
    num_predict: request.max_completion_tokens ?? request.max_tokens,
    stop,
    seed: request.seed,
    presence_penalty: request.presence_penalty,
    frequency_penalty: request.frequency_penalty,
  };
  const options = Object.fromEntries(Object.entries(candidates).filter(([, value]) => value != null)) as OllamaOptions;
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * Ollama has no `tool_choice`: `none` is honoured by sending no tools, a named function by sending only
 * that one; `required` cannot be enforced and is sent as `auto`.
 */
function toOllamaTools(request: ChatRequestBody): OllamaTool[] | undefined {
  const choice = request.tool_choice;
  if (!request.tools || request.tools.length === 0 || choice === 'none') return undefined;
  const offered = typeof choice === 'object' && choice !== null
    ? request.tools.filter((tool) => tool.function.name === choice.function.name)
    : request.tools;
  return offered.map((tool) => {
    const converted: OllamaTool = { type: 'function', function: { name: tool.function.name } };
    if (tool.function.description !== undefined) converted.function.description = tool.function.description;
    if (tool.function.parameters !== undefined) converted.function.parameters = tool.function.parameters;
    return converted;
  });
}

function toOllamaFormat(request: ChatRequestBody): OllamaChatRequest['format'] {
  const format = request.response_format;
  if (format?.type === 'json_object') return 'json';
  // Without a schema, json_schema still asks for JSON, which is all Ollama can promise then.
  if (format?.type === 'json_schema') return format.json_schema.schema ?? 'json';
  return undefined;
}

/**
 * Builds an Ollama /api/chat body from an OpenAI request. Fields Ollama has no equivalent for
 * (`logit_bias`, `logprobs`, `user`, `metadata`, `store`, `service_tier`, ...) are not sent.
 *
 * @throws GatewayError for messages Ollama cannot take (see {@link toOllamaMessages}).
 */
export function toOllamaRequest(request: ChatRequestBody, model: string, stream: boolean): OllamaChatRequest {
  const body: OllamaChatRequest = { model, messages: toOllamaMessages(request.messages), stream };
  const options = toOllamaOptions(request);
  if (options) body.options = options;
  const tools = toOllamaTools(request);
  if (tools) body.tools = tools;
  const format = toOllamaFormat(request);
  if (format !== undefined) body.format = format;
  return body;
}
