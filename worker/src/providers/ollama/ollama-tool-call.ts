import type { ToolCall } from '@ailb/shared';
import { generateToolCallId } from '../tool-call-helpers.js';
import type { OllamaWireToolCall } from './ollama-wire.js';

/** Converts an Ollama tool call (arguments as an object) into AILB's (arguments as JSON text). */
export function fromOllamaToolCall(toolCall: OllamaWireToolCall): ToolCall {
  const parsedArguments = toolCall.function?.arguments;
  return {
    id: toolCall.id || generateToolCallId(),
    name: toolCall.function?.name ?? '',
    arguments: typeof parsedArguments === 'string' ? parsedArguments : JSON.stringify(parsedArguments ?? {}),
  };
}
