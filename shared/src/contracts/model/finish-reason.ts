import { z } from 'zod';

/** OpenAI's finish_reason values, the only ones clients ever see. */
export const unifiedFinishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);
export type UnifiedFinishReason = z.infer<typeof unifiedFinishReasonSchema>;

/**
 * Why generation ended: the unified OpenAI value plus the provider's own raw value (e.g. Anthropic's
 * `end_turn`), kept for logs and traces.
 */
export const finishReasonSchema = z.object({
  unified: unifiedFinishReasonSchema,
  raw: z.string().nullable(),
});
export type FinishReason = z.infer<typeof finishReasonSchema>;
