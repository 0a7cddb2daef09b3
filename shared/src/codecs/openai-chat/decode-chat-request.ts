import type { AssistantContentPart, ChatCall, PromptMessage, ResponseFormat, ToolChoice, ToolDefinition, UserContentPart } from '../../index.js';
import { SPECIFICATION_VERSION } from '../../contracts/spec/chat-call.js';
import { GatewayError } from '../../contracts/errors/gateway-error.js';
import { chatCompletionRequestSchema, contentText, type ChatMessage, type ChatRequestBody } from './chat-request.schema.js';
import { validationError } from './validation-error.js';
import { WireLocations } from './wire-locations.js';
import { conversationError } from './conversation-rules.js';

/** The key of OpenAI-only options in `providerOptions`: read by the OpenAI adapter alone. */
export const OPENAI_OPTIONS_KEY = 'openai';

/** AILB's extension fields of a chat request (never forwarded to a provider). */
export interface RequestExtensions {
  sessionId?: string;
  ragCollection?: string;
  ragTopK?: number;
}

/** An OpenAI Chat Completions request, decoded. */
export interface DecodedChatRequest {
  /** The public model name the client asked for. */
  model: string;
  stream: boolean;
  /** `stream_options.include_usage`: a final chunk with the usage. */
  includeUsage: boolean;
  call: ChatCall;
  extensions: RequestExtensions;
  /** Spec params → the client's field names, for errors raised downstream. */
  locations: WireLocations;
}

/** The OpenAI-only fields, forwarded to OpenAI-compatible deployments as they were sent. */
const OPENAI_ONLY_FIELDS = ['logit_bias', 'logprobs', 'top_logprobs', 'metadata', 'store', 'reasoning_effort', 'service_tier'] as const;

const AUDIO_MEDIA_TYPES: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mpeg' };

/**
 * Validates a client's request body (zod, OpenAI's rules: an unknown field is a 400 naming it) and
 * decodes it into the provider-neutral spec.
 */
export function decodeChatRequest(body: unknown): DecodedChatRequest {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, body);
  const refused = conversationError(parsed.data.messages);
  if (refused) throw refused;
  const { session_id, rag_collection, rag_top_k, ...request } = parsed.data;
  const extensions: RequestExtensions = {};
  if (session_id !== undefined) extensions.sessionId = session_id;
  if (rag_collection !== undefined) extensions.ragCollection = rag_collection;
  if (rag_top_k !== undefined) extensions.ragTopK = rag_top_k;
  const locations = new WireLocations();
  return {
    model: request.model,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    call: decodeValidatedBody(request, locations),
    extensions,
    locations,
  };
}

/** Decodes a body already validated against `chatRequestBodySchema` (e.g. a version-1 chat job's). */
export function decodeValidatedBody(request: ChatRequestBody, locations = new WireLocations()): ChatCall {
  const toolNames = new Map<string, string>();
  const call: ChatCall = { specificationVersion: SPECIFICATION_VERSION, prompt: request.messages.map((message, index) => decodeMessage(message, index, locations, toolNames)) };
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxOutputTokens != null) call.maxOutputTokens = maxOutputTokens;
  if (request.temperature != null) call.temperature = request.temperature;
  if (request.top_p != null) call.topP = request.top_p;
  if (request.stop != null) call.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.presence_penalty != null) call.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) call.frequencyPenalty = request.frequency_penalty;
  if (request.seed != null) call.seed = request.seed;
  if (request.user !== undefined) call.user = request.user;
  if (request.parallel_tool_calls != null) call.parallelToolCalls = request.parallel_tool_calls;
  if (request.response_format != null) call.responseFormat = decodeResponseFormat(request.response_format);
  if (request.tools != null) call.tools = request.tools.map(decodeTool);
  if (request.tool_choice != null) call.toolChoice = decodeToolChoice(request.tool_choice);

  const openai: Record<string, unknown> = {};
  for (const field of OPENAI_ONLY_FIELDS) if (request[field] != null) openai[field] = request[field];
  // Which token-limit field the client used: o-series models accept only max_completion_tokens,
  // many compatible servers only max_tokens.
  if (request.max_completion_tokens != null) {
    openai.max_tokens_field = 'max_completion_tokens';
    locations.setOptionField('maxOutputTokens', 'max_completion_tokens');
  }
  if (Object.keys(openai).length > 0) call.providerOptions = { [OPENAI_OPTIONS_KEY]: openai };
  return call;
}

function decodeMessage(message: ChatMessage, index: number, locations: WireLocations, toolNames: Map<string, string>): PromptMessage {
  switch (message.role) {
    case 'system':
    case 'developer': {
      const openai: Record<string, unknown> = {};
      // `developer` is OpenAI's newer name for instructions; it is kept for OpenAI deployments.
      if (message.role === 'developer') openai.role = 'developer';
      if (message.name !== undefined) openai.name = message.name;
      const decoded: PromptMessage = { role: 'system', content: contentText(message.content) };
      if (Object.keys(openai).length > 0) decoded.providerOptions = { [OPENAI_OPTIONS_KEY]: openai };
      return decoded;
    }
    case 'user': {
      const content: UserContentPart[] =
        typeof message.content === 'string'
          ? [{ type: 'text', text: message.content }]
          : message.content.map((part): UserContentPart => {
              switch (part.type) {
                case 'text':
                  return { type: 'text', text: part.text };
                case 'image_url':
                  return part.image_url.detail === undefined ? { type: 'image', url: part.image_url.url } : { type: 'image', url: part.image_url.url, providerOptions: { [OPENAI_OPTIONS_KEY]: { detail: part.image_url.detail } } };
                case 'input_audio':
                  return { type: 'file', mediaType: AUDIO_MEDIA_TYPES[part.input_audio.format] ?? `audio/${part.input_audio.format}`, data: part.input_audio.data, providerOptions: { [OPENAI_OPTIONS_KEY]: { format: part.input_audio.format } } };
                case 'file':
                  return withoutUndefined({ type: 'file' as const, data: part.file.file_data, fileId: part.file.file_id, filename: part.file.filename });
              }
            });
      if (typeof message.content === 'string') locations.addPart(index, 0, `messages[${index}].content`);
      else content.forEach((part, partIndex) => locations.addPart(index, partIndex, `messages[${index}].content[${partIndex}]`, part.type === 'image' ? { url: 'image_url.url' } : {}));
      return message.name === undefined ? { role: 'user', content } : { role: 'user', content, name: message.name };
    }
    case 'assistant': {
      const content: AssistantContentPart[] = [];
      const text = message.content == null ? null : typeof message.content === 'string' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
      // A refusal is what the assistant said; providers other than OpenAI have no field for it.
      const said = text ?? message.refusal ?? null;
      if (said !== null) content.push({ type: 'text', text: said });
      (message.tool_calls ?? []).forEach((toolCall, callIndex) => {
        toolNames.set(toolCall.id, toolCall.function.name);
        locations.addPart(index, content.length, `messages[${index}].tool_calls[${callIndex}]`, { input: 'function.arguments', toolName: 'function.name' });
        content.push({ type: 'tool-call', toolCallId: toolCall.id, toolName: toolCall.function.name, input: toolCall.function.arguments });
      });
      return message.name === undefined ? { role: 'assistant', content } : { role: 'assistant', content, name: message.name };
    }
    case 'tool': {
      locations.addPart(index, 0, `messages[${index}]`, { output: 'content', toolCallId: 'tool_call_id' });
      const toolName = toolNames.get(message.tool_call_id);
      return { role: 'tool', content: [{ type: 'tool-result', toolCallId: message.tool_call_id, output: contentText(message.content), ...(toolName === undefined ? {} : { toolName }) }] };
    }
  }
}

function decodeResponseFormat(format: NonNullable<ChatRequestBody['response_format']>): ResponseFormat {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const { name, description, schema, strict } = format.json_schema;
  return withoutUndefined({ type: 'json' as const, name, description, schema, strict: strict ?? undefined });
}

function decodeTool(tool: NonNullable<ChatRequestBody['tools']>[number]): ToolDefinition {
  const { name, description, parameters, strict } = tool.function;
  return withoutUndefined({ type: 'function' as const, name, description, inputSchema: parameters, strict: strict ?? undefined });
}

function decodeToolChoice(choice: NonNullable<ChatRequestBody['tool_choice']>): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', toolName: choice.function.name };
}

/** Drops keys whose value is undefined, so decoded objects carry only what the client said. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/** Rebuilds a catalog error with its `param` in the client's words. */
export function toClientParam(error: GatewayError, locations: WireLocations): GatewayError {
  const param = locations.translate(error.param);
  if (param === error.param) return error;
  return new GatewayError(error.code, error.message, { param, provider: error.provider, retryAfterMs: error.retryAfterMs });
}

