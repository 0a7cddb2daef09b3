import { contentText, type AssistantMessage, type ChatMessage } from '@ailb/shared';
import type { ContentBlockParam, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { convertUserContent } from './convert-user-content.js';
import { parseToolArguments } from '../tool-call-helpers.js';

/** What OpenAI-shaped messages become in Anthropic's Messages API. */
export interface AnthropicPrompt {
  /** The joined system and developer instructions; absent when there are none. */
  system?: string;
  /** Alternating user and assistant turns. */
  messages: AnthropicMessageParam[];
}

/** A user or assistant turn whose content is always a list of blocks, so turns can be merged. */
export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: ContentBlockParam[];
}

/**
 * Converts OpenAI chat messages to Anthropic's prompt shape.
 *
 * Anthropic takes instructions in one top-level `system` field, so every system and developer message
 * (wherever it appears) is lifted out and joined in order. Tool results travel in user turns, and
 * consecutive turns of the same role are merged because Anthropic expects user and assistant turns to
 * alternate.
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: AnthropicMessageParam[] = [];

  messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text !== '') systemTexts.push(text);
        return;
      }
      case 'user':
        appendTurn(turns, { role: 'user', content: convertUserContent(message.content, messageIndex) });
        return;
      case 'assistant': {
        const content = convertAssistantContent(message, messageIndex);
        // An assistant turn with neither text nor tool calls carries nothing, and Anthropic rejects it.
        if (content.length > 0) appendTurn(turns, { role: 'assistant', content });
        return;
      }
      case 'tool':
        appendTurn(turns, {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content) }],
        });
        return;
    }
  });

  const prompt: AnthropicPrompt = { messages: turns };
  if (systemTexts.length > 0) prompt.system = systemTexts.join('\n\n');
  return prompt;
}

/** Adds a turn, merging it into the previous one when both have the same role. */
function appendTurn(turns: AnthropicMessageParam[], turn: AnthropicMessageParam): void {
  const previous = turns.at(-1);
  if (previous !== undefined && previous.role === turn.role) previous.content.push(...turn.content);
  else turns.push(turn);
}

/** Text (refusals included, as text: they are what the assistant said) followed by tool calls. */
function convertAssistantContent(message: AssistantMessage, messageIndex: number): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  const text = assistantText(message.content);
  if (text !== '') blocks.push({ type: 'text', text });
  (message.tool_calls ?? []).forEach((toolCall, toolCallIndex) => {
    const block: ToolUseBlockParam = {
      type: 'tool_use',
      id: toolCall.id,
      name: toolCall.function.name,
      input: parseToolArguments(
        toolCall.function.arguments,
        `messages[${messageIndex}].tool_calls[${toolCallIndex}].function.arguments`,
      ),
    };
    blocks.push(block);
  });
  return blocks;
}

function assistantText(content: AssistantMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
}

