import { GatewayError, type ChatRequestBody, type FunctionTool, type ProviderConfig, type ToolChoice } from '@ailb/shared';
import type {
  MessageCreateParamsNonStreaming,
  Tool,
  ToolChoice as AnthropicToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/**
 * The body AILB sends to `POST /v1/messages`, without `stream` (the caller sets it).
 *
 * The SDK's parameter types no longer list the sampling parameters, but the Messages API still takes
 * `temperature` and `top_p`, and the SDK sends the body as given, so they are declared here.
 */
export type AnthropicRequestBody = Omit<MessageCreateParamsNonStreaming, 'stream'> & {
  temperature?: number;
  top_p?: number;
};

/** Anthropic's upper bound for `temperature` (OpenAI allows up to 2). */
const ANTHROPIC_MAX_TEMPERATURE = 1;

/**
 * Converts an OpenAI-shaped chat request into an Anthropic Messages API body for `model`.
 *
 * Parameters Anthropic has no equivalent for (seed, presence/frequency penalties, logit_bias,
 * logprobs, n, store, ...) are not sent. `response_format` other than `text` is refused rather than
 * ignored, because a client asking for JSON would otherwise silently get prose.
 */
export function convertToAnthropicRequest(
  request: ChatRequestBody,
  model: string,
  config: Pick<ProviderConfig, 'default_max_tokens'>,
): AnthropicRequestBody {
  if (request.response_format != null && request.response_format.type !== 'text') {
    throw new GatewayError(
      'unsupported_value',
      `response_format '${request.response_format.type}' is not supported by Anthropic deployments.`,
      { param: 'response_format' },
    );
  }

  const { system, messages } = convertToAnthropicMessages(request.messages);
  const body: AnthropicRequestBody = {
    model,
    messages,
    // Anthropic requires max_tokens; the deployment's default stands in when the client sets none.
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? config.default_max_tokens,
  };
  if (system !== undefined) body.system = system;

  if (request.temperature != null) {
    // Anthropic accepts 0..1 where OpenAI accepts 0..2. Both default to 1, so values up to 1 pass
    // unchanged (keeping a client's "default" the same on both) and hotter values are clamped,
    // instead of rescaling every value and shifting the meaning of the common 0..1 range.
    body.temperature = Math.min(request.temperature, ANTHROPIC_MAX_TEMPERATURE);
  }
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null) {
    const stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stopSequences.length > 0) body.stop_sequences = stopSequences;
  }
  if (request.user !== undefined) body.metadata = { user_id: request.user };

  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map(convertTool);
    const toolChoice = convertToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (toolChoice !== undefined) body.tool_choice = toolChoice;
  }
  // Without tools a tool_choice means nothing, and Anthropic rejects one, so it is dropped.
  return body;
}

/** An OpenAI function tool as an Anthropic client tool; a tool without parameters takes none. */
export function convertTool(tool: FunctionTool): Tool {
  const converted: Tool = {
    name: tool.function.name,
    input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Tool.InputSchema,
  };
  if (tool.function.description !== undefined) converted.description = tool.function.description;
  return converted;
}

/**
 * Maps OpenAI's `tool_choice` and `parallel_tool_calls` to Anthropic's single `tool_choice` object.
 * Returns undefined when both are left to their defaults (Anthropic's default is `auto` too).
 */
export function convertToolChoice(
  toolChoice: ToolChoice | null | undefined,
  parallelToolCalls: boolean | null | undefined,
): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false;
  if (toolChoice === 'none') return { type: 'none' };

  let converted: Exclude<AnthropicToolChoice, { type: 'none' }>;
  if (toolChoice === 'required') converted = { type: 'any' };
  else if (toolChoice != null && typeof toolChoice === 'object') converted = { type: 'tool', name: toolChoice.function.name };
  else if (toolChoice === 'auto' || disableParallel) converted = { type: 'auto' };
  else return undefined;

  if (disableParallel) converted.disable_parallel_tool_use = true;
  return converted;
}
