import { joinText, type AssistantMessage, type Prompt, type ReasoningPart } from '@ailb/shared';
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { convertUserContent } from './convert-user-content.js';
import { parseToolArguments } from '../tool-call-helpers.js';

/** What a spec prompt becomes in Anthropic's Messages API. */
export interface AnthropicPrompt {
  /** The joined system instructions; absent when there are none. */
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
 * Converts a spec prompt to Anthropic's prompt shape.
 *
 * Anthropic takes instructions in one top-level `system` field, so every system message (wherever it
 * appears) is lifted out and joined in order. Tool results travel in user turns, and consecutive
 * turns of the same role are merged because Anthropic expects user and assistant turns to alternate.
 * Error params name spec locations (`prompt[i].content[j]…`), `i` counting every message.
 */
export function convertToAnthropicMessages(prompt: Prompt): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: AnthropicMessageParam[] = [];

  prompt.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
        if (message.content !== '') systemTexts.push(message.content);
        return;
      case 'user':
        appendTurn(turns, { role: 'user', content: convertUserContent(message.content, messageIndex) });
        return;
      case 'assistant': {
        const content = convertAssistantContent(message, messageIndex);
        // An assistant turn that carries nothing Anthropic takes back is rejected by it, so it is left out.
        if (content.length > 0) appendTurn(turns, { role: 'assistant', content });
        return;
      }
      case 'tool':
        appendTurn(turns, {
          role: 'user',
          content: message.content.map((part) => ({ type: 'tool_result', tool_use_id: part.toolCallId, content: part.output })),
        });
        return;
    }
  });

  const converted: AnthropicPrompt = { messages: turns };
  if (systemTexts.length > 0) converted.system = systemTexts.join('\n\n');
  return converted;
}

/** Adds a turn, merging it into the previous one when both have the same role. */
function appendTurn(turns: AnthropicMessageParam[], turn: AnthropicMessageParam): void {
  const previous = turns.at(-1);
  if (previous !== undefined && previous.role === turn.role) previous.content.push(...turn.content);
  else turns.push(turn);
}

/**
 * Thinking blocks, then the joined text, then tool calls: Anthropic wants a turn's thinking first, and
 * it is what the model produced before answering.
 */
function convertAssistantContent(message: AssistantMessage, messageIndex: number): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of message.content) {
    if (part.type !== 'reasoning') continue;
    const block = convertReasoning(part);
    if (block !== undefined) blocks.push(block);
  }
  const text = joinText(message.content);
  if (text !== '') blocks.push({ type: 'text', text });
  message.content.forEach((part, partIndex) => {
    if (part.type !== 'tool-call') return;
    blocks.push({
      type: 'tool_use',
      id: part.toolCallId,
      name: part.toolName,
      input: parseToolArguments(part.input, `prompt[${messageIndex}].content[${partIndex}].input`),
    });
  });
  return blocks;
}

/**
 * A reasoning part Anthropic produced, as the block it came from. Anthropic verifies thinking by its
 * signature and rejects unsigned thinking, so reasoning without Anthropic's metadata (another
 * provider's, or a client's own) is left out.
 */
function convertReasoning(part: ReasoningPart): ContentBlockParam | undefined {
  const metadata = part.providerMetadata?.['anthropic'];
  const signature = metadata?.['signature'];
  if (typeof signature === 'string' && signature !== '') return { type: 'thinking', thinking: part.text, signature };
  const redactedData = metadata?.['redactedData'];
  if (typeof redactedData === 'string' && redactedData !== '') return { type: 'redacted_thinking', data: redactedData };
  return undefined;
}
