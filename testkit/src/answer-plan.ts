import type { Directive } from './directives.js';
import { splitPieces, splitWords } from './words.js';

/** What the simulator needs to know about a chat request, whichever API it came through. */
export interface ChatConversation {
  /** The model as the client named it (echoed back in responses). */
  model: string;
  stream: boolean;
  /** Words across the system prompt and the text of every message. */
  promptTokens: number;
  /** Text of the most recent user message that has text; directives are read from it. */
  lastUserText: string;
  /** The tool result's text when the last message is a tool result, else null. */
  toolResultText: string | null;
  /** True when the last message is a user message with text (the only case that calls a tool). */
  endsWithUserText: boolean;
  /** Names of the tools offered, in order. */
  toolNames: string[];
  /** The tool `tool_choice` forces, if any. */
  forcedToolName: string | null;
  /** `tool_choice` is `none`. */
  toolsDisabled: boolean;
  /** The request's output limit in tokens (words); null when unlimited. */
  maxTokens: number | null;
  stopSequences: string[];
  /** The text of the last message when it is the assistant's (a prefill to continue), else null. */
  prefill: string | null;
}

/** A text answer: `pieces` are the stream deltas (one word each) and concatenate to `text`. */
export interface TextAnswer {
  kind: 'text';
  text: string;
  pieces: string[];
  /** `stop` (natural end), `length` (output limit hit) or `stop_sequence`. */
  finish: 'stop' | 'length' | 'stop_sequence';
  /** The stop sequence that ended the answer, when `finish` is `stop_sequence`. */
  stopSequence: string | null;
  outputTokens: number;
}

/** A single tool call with arguments `{"query": <last user text>}`. */
export interface ToolCallAnswer {
  kind: 'tool_call';
  toolName: string;
  input: { query: string };
  argumentsJson: string;
  /** `argumentsJson` split one word per piece, as the stream sends it. */
  argumentPieces: string[];
  outputTokens: number;
}

export type AnswerPlan = TextAnswer | ToolCallAnswer;

/**
 * Decides the deterministic answer. Order: a tool call when tools are offered and the user just spoke;
 * otherwise the text (`tokens=N` directive, tool-result acknowledgement, or the greeting echo), cut at
 * the first stop sequence, then truncated to the output limit.
 */
export function planAnswer(conversation: ChatConversation, directive: Directive): AnswerPlan {
  const wantsTool = conversation.toolNames.length > 0 && !conversation.toolsDisabled && conversation.endsWithUserText;
  if (wantsTool) {
    const query = splitWords(conversation.lastUserText).join(' ');
    const argumentsJson = JSON.stringify({ query });
    const argumentPieces = splitPieces(argumentsJson);
    return {
      kind: 'tool_call',
      toolName: conversation.forcedToolName ?? conversation.toolNames[0] ?? 'tool',
      input: { query },
      argumentsJson,
      argumentPieces,
      outputTokens: argumentPieces.length,
    };
  }
  return limitText(baseText(conversation, directive), conversation);
}

/**
 * The answer to a prefilled conversation, as a model that continues prefills gives it: what follows
 * the prefill in the plain answer when that begins with it; otherwise the plain answer's words after
 * as many words as the prefill has (a model continues from wherever the prefill left it).
 */
export function continuePrefill(plan: AnswerPlan, prefill: string): AnswerPlan {
  if (plan.kind !== 'text') return plan;
  const text = plan.text.startsWith(prefill) ? plan.text.slice(prefill.length) : splitPieces(plan.text).slice(splitWords(prefill).length).join('');
  const pieces = splitPieces(text);
  return { ...plan, text, pieces, outputTokens: pieces.length };
}

function baseText(conversation: ChatConversation, directive: Directive): string {
  if (directive.tokens !== undefined) {
    return Array.from({ length: directive.tokens }, (_unused, index) => `w${index + 1}`).join(' ');
  }
  if (conversation.toolResultText !== null) {
    return ['Tool', 'result', 'received:', ...splitWords(conversation.toolResultText)].join(' ');
  }
  return ['Hello', 'from', `${conversation.model}.`, 'You', 'said:', ...splitWords(conversation.lastUserText)].join(' ');
}

function limitText(fullText: string, conversation: ChatConversation): TextAnswer {
  let text = fullText;
  let finish: TextAnswer['finish'] = 'stop';
  let stopSequence: string | null = null;
  let earliest = Number.POSITIVE_INFINITY;
  for (const sequence of conversation.stopSequences) {
    const index = sequence === '' ? -1 : fullText.indexOf(sequence);
    if (index >= 0 && index < earliest) {
      earliest = index;
      stopSequence = sequence;
    }
  }
  if (stopSequence !== null) {
    // Trailing whitespace is dropped so every piece stays one word and the token count is the word count.
    text = fullText.slice(0, earliest).trimEnd();
    finish = 'stop_sequence';
  }
  let pieces = splitPieces(text);
  if (conversation.maxTokens !== null && pieces.length > conversation.maxTokens) {
    pieces = pieces.slice(0, conversation.maxTokens);
    text = pieces.join('');
    finish = 'length';
    stopSequence = null;
  }
  return { kind: 'text', text, pieces, finish, stopSequence, outputTokens: pieces.length };
}
