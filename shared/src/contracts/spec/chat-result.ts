import { z } from 'zod';
import { finishReasonSchema } from './finish-reason.js';
import { reasoningPartSchema, textPartSchema, toolCallPartSchema } from './prompt.js';
import { usageSchema } from './usage.js';
import { callWarningSchema } from './warning.js';

/** Who answered: the provider's response id and the model that actually served the call, as it names it. */
export const responseMetadataSchema = z.object({
  id: z.string().optional(),
  modelId: z.string(),
});
export type ResponseMetadata = z.infer<typeof responseMetadataSchema>;

/**
 * The answer of a non-streaming call: what the model produced (text, reasoning, tool calls, in the
 * order produced), why it stopped, what it cost. No text part at all means the model said nothing
 * (only tool calls, say); a text part with '' means it said an empty string.
 */
export const chatResultSchema = z.object({
  content: z.array(z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema, toolCallPartSchema])),
  finishReason: finishReasonSchema,
  usage: usageSchema.nullable(),
  response: responseMetadataSchema,
  warnings: z.array(callWarningSchema).optional(),
});
export type ChatResult = z.infer<typeof chatResultSchema>;
