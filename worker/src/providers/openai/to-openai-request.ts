import type { ChatCall, PromptMessage, ResponseFormat, ToolChoice, UserContentPart } from '@ailb/shared';

/** The options only OpenAI-compatible deployments understand (put there by the gateway's OpenAI codec). */
type OpenAIOptions = Record<string, unknown>;

/** Fields of `providerOptions.openai` forwarded as request fields of the same name. */
const FORWARDED_OPTIONS = ['logit_bias', 'logprobs', 'top_logprobs', 'metadata', 'store', 'reasoning_effort', 'service_tier'] as const;

/** OpenAI's `input_audio.format` for an audio media type. */
const AUDIO_FORMATS: Readonly<Record<string, string>> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3' };

const openaiOptions = (holder: { providerOptions?: Record<string, Record<string, unknown>> | undefined }): OpenAIOptions => holder.providerOptions?.openai ?? {};

function userContent(parts: readonly UserContentPart[]): string | Array<Record<string, unknown>> {
  // One plain text part is sent as a string, the form every compatible server accepts.
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && only.providerOptions === undefined) return only.text;
  return parts.map((part) => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image': {
        const detail = openaiOptions(part).detail;
        return { type: 'image_url', image_url: detail === undefined ? { url: part.url } : { url: part.url, detail } };
      }
      case 'file': {
        const format = openaiOptions(part).format ?? (part.mediaType === undefined ? undefined : AUDIO_FORMATS[part.mediaType]);
        if (format !== undefined || part.mediaType?.startsWith('audio/')) {
          return { type: 'input_audio', input_audio: { data: part.data ?? '', format: format ?? part.mediaType!.slice('audio/'.length) } };
        }
        const file: Record<string, string> = {};
        if (part.data !== undefined) file.file_data = part.data;
        if (part.fileId !== undefined) file.file_id = part.fileId;
        if (part.filename !== undefined) file.filename = part.filename;
        return { type: 'file', file };
      }
    }
  });
}

/** One spec message as OpenAI messages (a tool message with several results becomes several). */
function toMessages(message: PromptMessage): Array<Record<string, unknown>> {
  switch (message.role) {
    case 'system': {
      const options = openaiOptions(message);
      return [{ role: options.role === 'developer' ? 'developer' : 'system', content: message.content, ...(typeof options.name === 'string' ? { name: options.name } : {}) }];
    }
    case 'user':
      return [{ role: 'user', content: userContent(message.content), ...(message.name === undefined ? {} : { name: message.name }) }];
    case 'assistant': {
      let content: string | null = null;
      const toolCalls: Array<Record<string, unknown>> = [];
      for (const part of message.content) {
        if (part.type === 'text') content = (content ?? '') + part.text;
        else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } });
        // Reasoning is never sent back: OpenAI's Chat format has no field for it.
      }
      return [{ role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}), ...(message.name === undefined ? {} : { name: message.name }) }];
    }
    case 'tool':
      return message.content.map((part) => ({ role: 'tool', tool_call_id: part.toolCallId, content: part.output }));
  }
}

function responseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type === 'text') return { type: 'text' };
  if (format.name === undefined && format.schema === undefined) return { type: 'json_object' };
  const jsonSchema: Record<string, unknown> = { name: format.name ?? 'response' };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (format.schema !== undefined) jsonSchema.schema = format.schema;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.toolName } } : choice.type;
}

/**
 * The Chat Completions body for a call: the spec re-expressed in OpenAI's fields, plus the OpenAI-only
 * fields the client sent (`providerOptions.openai`), with `model` the upstream model. Streams always
 * ask for usage, so the worker records real usage whatever the client wants to see.
 */
export function toOpenAIRequest(call: ChatCall, model: string, stream: boolean): Record<string, unknown> {
  const options = openaiOptions(call);
  const body: Record<string, unknown> = { model, messages: call.prompt.flatMap(toMessages) };
  if (call.maxOutputTokens !== undefined) body[options.max_tokens_field === 'max_completion_tokens' ? 'max_completion_tokens' : 'max_tokens'] = call.maxOutputTokens;
  if (call.temperature !== undefined) body.temperature = call.temperature;
  if (call.topP !== undefined) body.top_p = call.topP;
  if (call.stopSequences !== undefined && call.stopSequences.length > 0) body.stop = call.stopSequences;
  if (call.presencePenalty !== undefined) body.presence_penalty = call.presencePenalty;
  if (call.frequencyPenalty !== undefined) body.frequency_penalty = call.frequencyPenalty;
  if (call.seed !== undefined) body.seed = call.seed;
  if (call.user !== undefined) body.user = call.user;
  if (call.responseFormat !== undefined) body.response_format = responseFormat(call.responseFormat);
  if (call.tools !== undefined) {
    body.tools = call.tools.map((tool) => {
      const fn: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) fn.description = tool.description;
      if (tool.inputSchema !== undefined) fn.parameters = tool.inputSchema;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: 'function', function: fn };
    });
  }
  if (call.toolChoice !== undefined) body.tool_choice = toolChoice(call.toolChoice);
  if (call.parallelToolCalls !== undefined) body.parallel_tool_calls = call.parallelToolCalls;
  for (const field of FORWARDED_OPTIONS) if (options[field] !== undefined) body[field] = options[field];
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}
