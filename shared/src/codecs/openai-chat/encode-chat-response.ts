import type { ChatResult, GatewayError, StreamPart, UnifiedFinishReason, Usage } from '../../index.js';
import type { ChatCompletion, ChatCompletionChunk, OpenAIUsage } from './chat-response.js';

/** OpenAI's `finish_reason` for each unified reason; OpenAI has no word for `error` or `other`. */
const FINISH_REASONS: Readonly<Record<UnifiedFinishReason, string>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
};

/** OpenAI's error envelope, the error shape of every OpenAI-format route. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A catalog error in OpenAI's envelope. */
export function openAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

/** Provider-reported usage in OpenAI's field names. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const openai: OpenAIUsage = { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.totalTokens };
  if (usage.cachedInputTokens !== undefined) openai.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) openai.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return openai;
}

/** Identity of one response: AILB's own id, creation time and the model that actually served it. */
export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

/**
 * A `chat.completion` from a provider-neutral result. No text part means `content: null` (a tool-call
 * answer); reasoning has no place in OpenAI's Chat format and is left out.
 */
export function toChatCompletion(identity: ResponseIdentity, result: ChatResult): ChatCompletion {
  let content: string | null = null;
  const toolCalls: NonNullable<ChatCompletion['choices'][number]['message']['tool_calls']> = [];
  for (const part of result.content) {
    if (part.type === 'text') content = (content ?? '') + part.text;
    else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } });
  }
  const completion: ChatCompletion = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: FINISH_REASONS[result.finishReason.unified],
      },
    ],
  };
  if (result.usage) completion.usage = toOpenAIUsage(result.usage);
  return completion;
}

/**
 * Turns stream parts into `chat.completion.chunk` objects exactly as OpenAI streams them: a first
 * chunk with the assistant role, content and tool-call deltas (tool calls numbered 0, 1, … in order of
 * appearance), a chunk with the finish reason, and with `include_usage` a last chunk with empty
 * `choices` and the usage (every other chunk `usage: null`). An `error` part is not a chunk: the
 * caller ends the stream with it in-band.
 */
export class ChunkEncoder {
  private readonly toolIndexes = new Map<string, number>();

  constructor(
    private readonly identity: ResponseIdentity,
    private readonly includeUsage: boolean,
  ) {}

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: string | null = null): ChatCompletionChunk {
    const chunk: ChatCompletionChunk = {
      id: this.identity.id,
      object: 'chat.completion.chunk',
      created: this.identity.created,
      model: this.identity.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (this.includeUsage) chunk.usage = null;
    return chunk;
  }

  /** The opening chunk, sent as soon as the stream starts. */
  roleChunk(): ChatCompletionChunk {
    return this.chunk({ role: 'assistant', content: '' });
  }

  private startToolCall(id: string, name: string): ChatCompletionChunk {
    const index = this.toolIndexes.size;
    this.toolIndexes.set(id, index);
    return this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] });
  }

  /** Chunks for one part; most parts give one chunk or none, `finish` may give two. */
  encode(part: StreamPart): ChatCompletionChunk[] {
    switch (part.type) {
      case 'text-delta':
        return part.delta === '' ? [] : [this.chunk({ content: part.delta })];
      case 'tool-input-start':
        return [this.startToolCall(part.id, part.toolName)];
      case 'tool-input-delta': {
        const index = this.toolIndexes.get(part.id);
        return part.delta === '' || index === undefined ? [] : [this.chunk({ tool_calls: [{ index, function: { arguments: part.delta } }] })];
      }
      case 'tool-call':
        // Already streamed through its tool-input parts; a call that came whole is sent whole.
        if (this.toolIndexes.has(part.toolCallId)) return [];
        return [this.startToolCall(part.toolCallId, part.toolName), ...(part.input === '' ? [] : [this.chunk({ tool_calls: [{ index: this.toolIndexes.get(part.toolCallId)!, function: { arguments: part.input } }] })])];
      case 'finish': {
        const chunks = [this.chunk({}, FINISH_REASONS[part.finishReason.unified])];
        if (this.includeUsage && part.usage) {
          chunks.push({ id: this.identity.id, object: 'chat.completion.chunk', created: this.identity.created, model: this.identity.model, choices: [], usage: toOpenAIUsage(part.usage) });
        }
        return chunks;
      }
      default:
        // Block boundaries, reasoning (no place in OpenAI's Chat format), metadata, errors.
        return [];
    }
  }
}
