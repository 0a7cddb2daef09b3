import { z } from 'zod';

/**
 * Why generation ended, in words of no particular provider: `stop` (a natural end or a stop
 * sequence), `length` (the output limit), `content-filter`, `tool-calls` (the model wants tool
 * results), `error`, or `other` (a reason the provider gave that none of these names).
 */
export const unifiedFinishReasonSchema = z.enum(['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other']);
export type UnifiedFinishReason = z.infer<typeof unifiedFinishReasonSchema>;

/** The unified reason plus the provider's own raw value (e.g. Anthropic's `end_turn`), kept for traces. */
export const finishReasonSchema = z.object({
  unified: unifiedFinishReasonSchema,
  raw: z.string().nullable(),
});
export type FinishReason = z.infer<typeof finishReasonSchema>;
