import { makeUsage, type Usage } from '@ailb/shared';

/** The usage object of a completion or of the final `include_usage` chunk, as OpenAI sends it. */
export interface OpenAIWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** A token count we can trust: a non-negative integer, otherwise absent. */
function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Converts OpenAI's usage into the spec's {@link Usage}. Returns null when the provider reported no
 * counts at all, because usage is never estimated.
 */
export function mapOpenAIUsage(usage: OpenAIWireUsage | null | undefined): Usage | null {
  if (!usage) return null;
  const promptTokens = tokenCount(usage.prompt_tokens);
  const completionTokens = tokenCount(usage.completion_tokens);
  if (promptTokens === undefined && completionTokens === undefined) return null;
  return makeUsage(promptTokens ?? 0, completionTokens ?? 0, {
    cachedInputTokens: tokenCount(usage.prompt_tokens_details?.cached_tokens),
    reasoningTokens: tokenCount(usage.completion_tokens_details?.reasoning_tokens),
  });
}
