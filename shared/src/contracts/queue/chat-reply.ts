import { z } from 'zod';
import { chatResultSchema } from '../model/chat-result.js';
import { streamPartSchema } from '../model/stream-part.js';
import { errorCatalog } from '../errors/error-catalog.js';

const errorCodeSchema = z.enum(Object.keys(errorCatalog) as [keyof typeof errorCatalog, ...Array<keyof typeof errorCatalog>]);

/** Which target served the call and how long the upstream part took, for headers and stats. */
const servedBySchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** Milliseconds from the worker starting the upstream call to the result (or first part). */
  upstreamMs: z.number().nonnegative(),
});

/** One upstream attempt, in the order made: listed to clients in `x-ailb-attempts`. */
export const attemptRecordSchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** `success` or the error code the attempt ended with. */
  outcome: z.string(),
  durationMs: z.number().nonnegative(),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/**
 * Messages a worker sends back to the gateway instance named in `replyTo`, in order. `seq` starts at
 * 0 and increases by one, so the gateway can tell a lost message from a finished stream.
 * - non-streaming: `result` or `error`.
 * - streaming: `start`, any number of `parts`, then `end` or `error`.
 */
export const chatReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), jobId: z.string(), seq: z.number().int(), servedBy: servedBySchema, attempts: z.array(attemptRecordSchema), result: chatResultSchema }),
  z.object({ kind: z.literal('start'), jobId: z.string(), seq: z.number().int(), servedBy: servedBySchema, attempts: z.array(attemptRecordSchema) }),
  z.object({ kind: z.literal('parts'), jobId: z.string(), seq: z.number().int(), parts: z.array(streamPartSchema).min(1) }),
  z.object({ kind: z.literal('end'), jobId: z.string(), seq: z.number().int() }),
  z.object({
    kind: z.literal('error'),
    jobId: z.string(),
    seq: z.number().int(),
    attempts: z.array(attemptRecordSchema),
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      param: z.string().nullish(),
      provider: z.string().optional(),
      retryAfterMs: z.number().optional(),
    }),
  }),
]);
export type ChatReply = z.infer<typeof chatReplySchema>;
