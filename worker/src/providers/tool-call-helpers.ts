import { randomBytes } from 'node:crypto';
import { GatewayError } from '@ailb/shared';

/*
 * Helpers every adapter needs for OpenAI-shaped tool calls, whatever the provider's own wire format.
 */

/**
 * An OpenAI-style tool call id, for providers or compatible servers that send a call without one:
 * a client needs the id to send the tool's result back.
 */
export function generateToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/**
 * Parses the JSON text of a client's tool call arguments into the object providers such as Anthropic
 * and Ollama require. An empty string means "no arguments" (models calling a parameterless function
 * sometimes produce one). Anything else that is not a JSON object is the client's error, named by `param`.
 */
export function parseToolArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_value', 'Tool call arguments must be valid JSON.', { param });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('invalid_value', 'Tool call arguments must be a JSON object.', { param });
  }
  return parsed as Record<string, unknown>;
}
