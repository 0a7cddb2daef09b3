import {
  GatewayError,
  type CallWarning,
  type ChatCall,
  type ProviderConfig,
  type ToolChoice,
  type ToolDefinition,
} from '@ailb/shared';
import type {
  MessageCreateParamsNonStreaming,
  Tool,
  ToolChoice as AnthropicToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/** The body AILB sends to `POST /v1/messages`, without `stream` (the caller sets it). */
export type AnthropicRequestBody = Omit<MessageCreateParamsNonStreaming, 'stream'>;

/** A converted call: the body to send, and what of the call could not be sent as asked. */
export interface AnthropicRequest {
  body: AnthropicRequestBody;
  /** Settings left out because Anthropic has no equivalent; empty when everything was sent. */
  warnings: CallWarning[];
}

/**
 * Call settings not sent to Anthropic, reported as warnings when set: seed and the penalties have no
 * Anthropic equivalent, and API version 2026-10-21 (the one the adapter speaks, as the official SDK
 * 1.x does) answers 400 to any request carrying `temperature` or `top_p`, even at their defaults.
 */
const UNSUPPORTED_SETTINGS = ['seed', 'presencePenalty', 'frequencyPenalty', 'temperature', 'topP'] as const;

/**
 * Converts a spec call into an Anthropic Messages API body for `model`.
 *
 * Settings Anthropic has no equivalent for are not sent and come back as warnings, so the caller can
 * tell the client. A JSON `responseFormat` is refused rather than warned about, because a client
 * asking for JSON would otherwise silently get prose. Other providers' `providerOptions` are not read.
 */
export function convertToAnthropicRequest(
  call: ChatCall,
  model: string,
  config: Pick<ProviderConfig, 'default_max_tokens'>,
): AnthropicRequest {
  if (call.responseFormat !== undefined && call.responseFormat.type !== 'text') {
    throw new GatewayError(
      'unsupported_value',
      `Response format '${call.responseFormat.type}' is not supported by Anthropic deployments.`,
      { param: 'responseFormat' },
    );
  }

  const { system, messages } = convertToAnthropicMessages(call.prompt);
  const body: AnthropicRequestBody = {
    model,
    messages,
    // Anthropic requires max_tokens; the deployment's default stands in when the call sets none.
    max_tokens: call.maxOutputTokens ?? config.default_max_tokens,
  };
  if (system !== undefined) body.system = system;

  if (call.stopSequences !== undefined && call.stopSequences.length > 0) body.stop_sequences = call.stopSequences;
  if (call.user !== undefined) body.metadata = { user_id: call.user };

  const tools = call.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map(convertTool);
    const toolChoice = convertToolChoice(call.toolChoice, call.parallelToolCalls);
    if (toolChoice !== undefined) body.tool_choice = toolChoice;
  }
  // Without tools a tool choice means nothing, and Anthropic rejects one, so it is dropped.

  const warnings: CallWarning[] = UNSUPPORTED_SETTINGS.filter((setting) => call[setting] !== undefined).map((setting) => ({
    type: 'unsupported-setting',
    setting,
  }));
  return { body, warnings };
}

/** A spec tool as an Anthropic client tool; a tool without an input schema takes no arguments. */
export function convertTool(tool: ToolDefinition): Tool {
  const converted: Tool = {
    name: tool.name,
    input_schema: (tool.inputSchema ?? { type: 'object', properties: {} }) as Tool.InputSchema,
  };
  if (tool.description !== undefined) converted.description = tool.description;
  return converted;
}

/**
 * Maps the spec's tool choice and `parallelToolCalls` to Anthropic's single `tool_choice` object.
 * Returns undefined when both are left to their defaults (Anthropic's default is `auto` too).
 */
export function convertToolChoice(
  toolChoice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false;
  // Anthropic's `none` takes no parallelism flag: with no tool calls there is nothing to parallelize.
  if (toolChoice?.type === 'none') return { type: 'none' };

  let converted: Exclude<AnthropicToolChoice, { type: 'none' }>;
  if (toolChoice?.type === 'required') converted = { type: 'any' };
  else if (toolChoice?.type === 'tool') converted = { type: 'tool', name: toolChoice.toolName };
  else if (toolChoice?.type === 'auto' || disableParallel) converted = { type: 'auto' };
  else return undefined;

  if (disableParallel) converted.disable_parallel_tool_use = true;
  return converted;
}
