import { z } from 'zod';
import { finishReasonSchema } from './finish-reason.js';
import { usageSchema } from './usage.js';

/**
 * The one stream-part union every provider adapter emits and the gateway turns into OpenAI chunks.
 * A well-formed stream is: one `response-metadata`, any number of deltas, exactly one `finish` last.
 * Tool calls are identified by `index` (0-based, in order of appearance), as in OpenAI's wire format.
 */
export const streamPartSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('response-metadata'),
    /** The provider's response id, if any (kept for traces; clients get AILB's own id). */
    id: z.string().optional(),
    /** The model that actually served the call, as the provider names it. */
    model: z.string(),
  }),
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({
    type: z.literal('tool-call-start'),
    index: z.number().int().nonnegative(),
    id: z.string(),
    name: z.string(),
  }),
  z.object({
    type: z.literal('tool-call-delta'),
    index: z.number().int().nonnegative(),
    argumentsDelta: z.string(),
  }),
  z.object({
    type: z.literal('finish'),
    finishReason: finishReasonSchema,
    usage: usageSchema.nullable(),
  }),
]);
export type StreamPart = z.infer<typeof streamPartSchema>;
