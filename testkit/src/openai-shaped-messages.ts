import type { ChatConversation } from './answer-plan.js';
import { asArray, asObject, contentText, firstString } from './content-text.js';
import { countWords } from './words.js';

/**
 * What a list of OpenAI-shaped messages and function tools says to the simulator. OpenAI's and
 * Ollama's chat requests share this shape (roles system/user/assistant/tool, `tools[].function.name`),
 * so both readers take these fields from here.
 */
export function readOpenAIShapedMessages(
  messages: ReadonlyArray<Record<string, unknown>>,
  tools: unknown,
): Pick<ChatConversation, 'promptTokens' | 'lastUserText' | 'toolResultText' | 'endsWithUserText' | 'toolNames' | 'prefill'> {
  const last = messages[messages.length - 1] ?? {};
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return {
    promptTokens: messages.reduce((total, message) => total + countWords(contentText(message.content)), 0),
    lastUserText: lastUser ? contentText(lastUser.content) : '',
    toolResultText: last.role === 'tool' ? contentText(last.content) : null,
    endsWithUserText: last.role === 'user',
    prefill: last.role === 'assistant' ? contentText(last.content) : null,
    toolNames: asArray(tools)
      .map((tool) => firstString(asObject(asObject(tool)?.function)?.name))
      .filter((name): name is string => name !== null),
  };
}
