import { z } from 'zod';
import { finishReasonSchema } from './finish-reason.js';
import { providerMetadataSchema } from './provider-options.js';
import { usageSchema } from './usage.js';
import { callWarningSchema } from './warning.js';

/**
 * The parts of a streamed answer, named noun-verb. A well-formed stream from an adapter is:
 * `stream-start`, `response-metadata`, then blocks — `text-start`, `text-delta`…, `text-end`;
 * `reasoning-start`, `reasoning-delta`…, `reasoning-end`; `tool-input-start`, `tool-input-delta`…,
 * `tool-input-end`, `tool-call` — and exactly one `finish` last. Blocks carry an `id` (a tool call's
 * id for tool blocks) so interleaved blocks stay apart. `error` ends a stream that broke after output
 * was sent: it is added by the worker, never by an adapter (adapters throw).
 */
export const streamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stream-start'), warnings: z.array(callWarningSchema) }),
  z.object({
    type: z.literal('response-metadata'),
    /** The provider's response id, if any (kept for traces; clients get AILB's own id). */
    id: z.string().optional(),
    /** The model that actually served the call, as the provider names it. */
    modelId: z.string(),
  }),
  z.object({ type: z.literal('text-start'), id: z.string() }),
  z.object({ type: z.literal('text-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('text-end'), id: z.string() }),
  z.object({ type: z.literal('reasoning-start'), id: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('reasoning-end'), id: z.string(), providerMetadata: providerMetadataSchema.optional() }),
  z.object({ type: z.literal('tool-input-start'), id: z.string(), toolName: z.string() }),
  z.object({ type: z.literal('tool-input-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('tool-input-end'), id: z.string() }),
  z.object({ type: z.literal('tool-call'), toolCallId: z.string(), toolName: z.string(), input: z.string() }),
  z.object({ type: z.literal('finish'), finishReason: finishReasonSchema, usage: usageSchema.nullable() }),
  z.object({
    type: z.literal('error'),
    /** A catalog error (see `GatewayErrorData`). */
    error: z.object({ code: z.string(), message: z.string(), param: z.string().nullish(), provider: z.string().optional(), retryAfterMs: z.number().optional() }),
  }),
]);
export type StreamPart = z.infer<typeof streamPartSchema>;

/**
 * Parts that carry output (text, reasoning, a tool call): the first of them is the stream's first
 * token and commits it to the target that produced it. Block boundaries and metadata are not output:
 * a provider that opens a block at once and is slow to fill it has not answered yet.
 */
export function isOutputPart(part: StreamPart): boolean {
  switch (part.type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'tool-input-start':
    case 'tool-input-delta':
    case 'tool-call':
      return true;
    default:
      return false;
  }
}
