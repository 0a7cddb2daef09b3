import type { ChatCompletion, ChatCompletionChunk, ChatResult, OpenAIUsage, StreamPart, Usage } from '@ailb/shared';

/** Converts provider-reported usage to OpenAI's field names. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const openai: OpenAIUsage = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedPromptTokens !== undefined) openai.prompt_tokens_details = { cached_tokens: usage.cachedPromptTokens };
  if (usage.reasoningTokens !== undefined) openai.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return openai;
}

/** Identity of one response: AILB's own id, creation time and the model that actually served it. */
export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

/** Builds a `chat.completion` object from a provider-neutral result. */
export function toChatCompletion(identity: ResponseIdentity, result: ChatResult): ChatCompletion {
  const completion: ChatCompletion = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: result.content,
          refusal: null,
          ...(result.toolCalls.length > 0
            ? { tool_calls: result.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: result.finishReason.unified,
      },
    ],
  };
  if (result.usage) completion.usage = toOpenAIUsage(result.usage);
  return completion;
}

/**
 * Turns stream parts into `chat.completion.chunk` objects exactly as OpenAI streams them: a first
 * chunk with the assistant role, content and tool-call deltas, a chunk with the finish reason, and
 * with `include_usage` a last chunk with empty `choices` and the usage (every other chunk `usage: null`).
 */
export class ChunkFormatter {
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
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (this.includeUsage) chunk.usage = null;
    return chunk;
  }

  /** The opening chunk, sent as soon as the stream starts. */
  roleChunk(): ChatCompletionChunk {
    return this.chunk({ role: 'assistant', content: '' });
  }

  /** Chunks for one part; most parts give one chunk, `finish` may give two. */
  format(part: StreamPart): ChatCompletionChunk[] {
    switch (part.type) {
      case 'response-metadata':
        return [];
      case 'text-delta':
        return part.delta === '' ? [] : [this.chunk({ content: part.delta })];
      case 'tool-call-start':
        return [this.chunk({ tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] })];
      case 'tool-call-delta':
        return part.argumentsDelta === '' ? [] : [this.chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] })];
      case 'finish': {
        const chunks = [this.chunk({}, part.finishReason.unified)];
        if (this.includeUsage && part.usage) {
          chunks.push({
            id: this.identity.id,
            object: 'chat.completion.chunk',
            created: this.identity.created,
            model: this.identity.model,
            system_fingerprint: null,
            choices: [],
            usage: toOpenAIUsage(part.usage),
          });
        }
        return chunks;
      }
    }
  }
}
