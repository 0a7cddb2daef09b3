import { z } from 'zod';

/**
 * Token usage as reported by the provider that served the call. Never estimated: when a provider does
 * not report usage the value is `null` rather than a guess.
 */
export const usageSchema = z.object({
  /** Input tokens, including cached ones. */
  promptTokens: z.number().int().nonnegative(),
  /** Output tokens, including reasoning tokens where the provider counts them there. */
  completionTokens: z.number().int().nonnegative(),
  /** promptTokens + completionTokens. */
  totalTokens: z.number().int().nonnegative(),
  /** Input tokens served from the provider's prompt cache, when reported. */
  cachedPromptTokens: z.number().int().nonnegative().optional(),
  /** Output tokens spent on hidden reasoning, when reported. */
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Builds a {@link Usage} from prompt/completion counts so the total is never computed inconsistently. */
export function makeUsage(
  promptTokens: number,
  completionTokens: number,
  extra: Pick<Usage, 'cachedPromptTokens' | 'reasoningTokens'> = {},
): Usage {
  const usage: Usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  if (extra.cachedPromptTokens !== undefined) usage.cachedPromptTokens = extra.cachedPromptTokens;
  if (extra.reasoningTokens !== undefined) usage.reasoningTokens = extra.reasoningTokens;
  return usage;
}
