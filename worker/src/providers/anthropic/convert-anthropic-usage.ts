import { makeUsage, type Usage } from '@ailb/shared';

/** The token counts Anthropic reports, in a message's `usage` and in a stream's `message_delta`. */
export interface AnthropicTokenCounts {
  input_tokens?: number | null | undefined;
  output_tokens?: number | null | undefined;
  cache_creation_input_tokens?: number | null | undefined;
  cache_read_input_tokens?: number | null | undefined;
}

/**
 * Converts Anthropic's usage into the spec's. Anthropic's `input_tokens` excludes the tokens written
 * to and read from the prompt cache, while the spec's `inputTokens` includes cached ones, so all three
 * are added; the cache reads are also reported as `cachedInputTokens` when Anthropic gives them.
 */
export function convertAnthropicUsage(counts: AnthropicTokenCounts): Usage {
  const cacheReadTokens = counts.cache_read_input_tokens;
  const inputTokens = (counts.input_tokens ?? 0) + (counts.cache_creation_input_tokens ?? 0) + (cacheReadTokens ?? 0);
  return makeUsage(
    inputTokens,
    counts.output_tokens ?? 0,
    typeof cacheReadTokens === 'number' ? { cachedInputTokens: cacheReadTokens } : {},
  );
}
