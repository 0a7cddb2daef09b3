import { z } from 'zod';

/**
 * Token usage as reported by the provider that served the call. Never estimated: when a provider does
 * not report usage the value is `null` rather than a guess.
 */
export const usageSchema = z.object({
  /** Input (prompt) tokens, including cached ones. */
  inputTokens: z.number().int().nonnegative(),
  /** Output (completion) tokens, including reasoning tokens where the provider counts them there. */
  outputTokens: z.number().int().nonnegative(),
  /** inputTokens + outputTokens. */
  totalTokens: z.number().int().nonnegative(),
  /** Input tokens served from the provider's prompt cache, when reported. */
  cachedInputTokens: z.number().int().nonnegative().optional(),
  /** Output tokens spent on reasoning, when reported. */
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Builds a {@link Usage} from input/output counts so the total is never computed inconsistently. */
export function makeUsage(inputTokens: number, outputTokens: number, extra: Pick<Usage, 'cachedInputTokens' | 'reasoningTokens'> = {}): Usage {
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (extra.cachedInputTokens !== undefined) usage.cachedInputTokens = extra.cachedInputTokens;
  if (extra.reasoningTokens !== undefined) usage.reasoningTokens = extra.reasoningTokens;
  return usage;
}
