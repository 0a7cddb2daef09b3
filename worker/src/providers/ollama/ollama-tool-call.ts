import type { ToolCallPart } from '@ailb/shared';
import { generateToolCallId } from '../tool-call-helpers.js';
import type { OllamaWireToolCall } from './ollama-wire.js';

/**
 * Converts an Ollama tool call (arguments as an object) into a spec tool-call part (arguments as JSON
 * text). Older Ollama versions send no id; one is generated, since a client needs it to send the
 * tool's result back.
 */
export function fromOllamaToolCall(toolCall: OllamaWireToolCall): ToolCallPart {
  const parsedArguments = toolCall.function?.arguments;
  return {
    type: 'tool-call',
    toolCallId: toolCall.id || generateToolCallId(),
    toolName: toolCall.function?.name ?? '',
    input: typeof parsedArguments === 'string' ? parsedArguments : JSON.stringify(parsedArguments ?? {}),
  };
}
