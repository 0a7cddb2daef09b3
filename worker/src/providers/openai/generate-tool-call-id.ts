import { randomBytes } from 'node:crypto';

/**
 * An OpenAI-style tool call id, for compatible servers that send a call without one: a client needs
 * the id to send the tool's result back.
 */
export function generateToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}
