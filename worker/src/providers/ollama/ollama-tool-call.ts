import { randomBytes } from 'node:crypto';
import type { ToolCall } from '@ailb/shared';
import type { OllamaWireToolCall } from './ollama-wire.js';

/** An OpenAI-style tool call id, for Ollama versions that send none (clients need one to reply). */
export function generateToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/** Converts an Ollama tool call (arguments as an object) into AILB's (arguments as JSON text). */
export function fromOllamaToolCall(toolCall: OllamaWireToolCall): ToolCall {
  const parsedArguments = toolCall.function?.arguments;
  return {
    id: toolCall.id || generateToolCallId(),
    name: toolCall.function?.name ?? '',
    arguments: typeof parsedArguments === 'string' ? parsedArguments : JSON.stringify(parsedArguments ?? {}),
  };
}
