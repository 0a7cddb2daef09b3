import { z } from 'zod';
import { finishReasonSchema } from './finish-reason.js';
import { usageSchema } from './usage.js';

/** A complete tool call requested by the model; `arguments` is the JSON text the model produced. */
export const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
export type ToolCall = z.infer<typeof toolCallSchema>;

/** The provider-neutral result of a non-streaming call. */
export const chatResultSchema = z.object({
  /** The provider's response id, if any. */
  id: z.string().optional(),
  /** The model that actually served the call, as the provider names it. */
  model: z.string(),
  content: z.string().nullable(),
  toolCalls: z.array(toolCallSchema),
  finishReason: finishReasonSchema,
  usage: usageSchema.nullable(),
});
export type ChatResult = z.infer<typeof chatResultSchema>;
