import type { ChatTokenInput } from '../../rate-limits/token-estimate.js';

/*
 * What an OpenAI chat completion request says about its size, read from the raw body before the
 * codec validates it (the rate limiter runs first): anything unexpected counts as nothing rather than
 * failing here — the codec then refuses the body with its own 400.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A whole number ≥ 0, or undefined. */
const whole = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

/** The texts of one message: its content (a string, or `text` parts) and its tool calls' names and arguments. */
function messageTexts(message: Record<string, unknown>, texts: string[]): void {
  const { content, tool_calls: toolCalls } = message;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) if (isObject(part) && typeof part.text === 'string') texts.push(part.text);
  }
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) {
      const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
      if (fn && typeof fn.name === 'string') texts.push(fn.name);
      if (fn && typeof fn.arguments === 'string') texts.push(fn.arguments);
    }
  }
}

/**
 * The token input of `POST /v1/chat/completions`: the messages' texts (images, audio and tool
 * definitions are not counted) and `max_completion_tokens`, else `max_tokens`.
 */
export function openAIChatTokenInput(body: unknown): ChatTokenInput {
  const texts: string[] = [];
  if (!isObject(body)) return { texts, messages: 0, maxOutputTokens: undefined };
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) if (isObject(message)) messageTexts(message, texts);
  return { texts, messages: messages.length, maxOutputTokens: whole(body.max_completion_tokens) ?? whole(body.max_tokens) };
}
