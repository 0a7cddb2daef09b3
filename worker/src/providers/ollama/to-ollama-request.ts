import type { CallWarning, ChatCall } from '@ailb/shared';
import type { OllamaChatRequest, OllamaOptions, OllamaTool } from './ollama-wire.js';
import { toOllamaMessages } from './to-ollama-messages.js';

/** An /api/chat body, and what of the call it could not carry. */
export interface OllamaRequest {
  body: OllamaChatRequest;
  /** Settings that were set but not sent or not enforceable; empty when everything was honoured. */
  warnings: CallWarning[];
}

/** The call's sampling settings in Ollama's option names; unset ones are left out. */
function toOllamaOptions(call: ChatCall): OllamaOptions | undefined {
  const candidates: Record<keyof OllamaOptions, unknown> = {
    temperature: call.temperature,
    top_p: call.topP,
    num_predict: call.maxOutputTokens,
    stop: call.stopSequences,
    seed: call.seed,
    presence_penalty: call.presencePenalty,
    frequency_penalty: call.frequencyPenalty,
  };
  const options = Object.fromEntries(Object.entries(candidates).filter(([, value]) => value !== undefined)) as OllamaOptions;
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * Ollama has no tool choice: `none` is honoured by sending no tools, a named tool by sending only that
 * one; `required` cannot be enforced and is sent as `auto` (a warning says so).
 */
function toOllamaTools(call: ChatCall): OllamaTool[] | undefined {
  const choice = call.toolChoice;
  if (!call.tools || call.tools.length === 0 || choice?.type === 'none') return undefined;
  const offered = choice?.type === 'tool' ? call.tools.filter((tool) => tool.name === choice.toolName) : call.tools;
  return offered.map((tool) => {
    // `strict` is not sent: Ollama has no such flag.
    const converted: OllamaTool = { type: 'function', function: { name: tool.name } };
    if (tool.description !== undefined) converted.function.description = tool.description;
    if (tool.inputSchema !== undefined) converted.function.parameters = tool.inputSchema;
    return converted;
  });
}

function toOllamaFormat(call: ChatCall): OllamaChatRequest['format'] {
  const format = call.responseFormat;
  // Without a schema, JSON is all that can be asked for; with one, Ollama constrains the answer to it.
  if (format?.type === 'json') return format.schema ?? 'json';
  return undefined;
}

/** The settings the call set that Ollama gets no equivalent of, so the client can be told. */
function ollamaWarnings(call: ChatCall): CallWarning[] {
  const warnings: CallWarning[] = [];
  if (call.user !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'user' });
  if (call.toolChoice?.type === 'required') {
    warnings.push({ type: 'unsupported-setting', setting: 'toolChoice', details: 'sent as auto: Ollama cannot require a tool call' });
  }
  if (call.parallelToolCalls === false) {
    warnings.push({ type: 'unsupported-setting', setting: 'parallelToolCalls', details: 'Ollama cannot limit an answer to one tool call' });
  }
  return warnings;
}

/**
 * Builds an Ollama /api/chat body from a spec call, with `model` the upstream model. Only the call's
 * own settings are read: `providerOptions` of other provider types (say, OpenAI's `logit_bias`) mean
 * nothing to Ollama and are not sent.
 *
 * @throws GatewayError for a prompt Ollama cannot take (see {@link toOllamaMessages}).
 */
export function toOllamaRequest(call: ChatCall, model: string, stream: boolean): OllamaRequest {
  const body: OllamaChatRequest = { model, messages: toOllamaMessages(call.prompt), stream };
  const options = toOllamaOptions(call);
  if (options) body.options = options;
  const tools = toOllamaTools(call);
  if (tools) body.tools = tools;
  const format = toOllamaFormat(call);
  if (format !== undefined) body.format = format;
  return { body, warnings: ollamaWarnings(call) };
}
