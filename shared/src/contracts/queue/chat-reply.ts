import { z } from 'zod';
import { errorCatalog } from '../errors/error-catalog.js';
import { chatResultSchema } from '../spec/chat-result.js';
import { streamPartSchema } from '../spec/stream-part.js';

const errorCodeSchema = z.enum(Object.keys(errorCatalog) as [keyof typeof errorCatalog, ...Array<keyof typeof errorCatalog>]);

/** Which target served the call and how long the upstream part took, for headers and stats. */
export const servedBySchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** Milliseconds from the worker starting the upstream call to the result (or first part). */
  upstreamMs: z.number().nonnegative(),
  /** The `VERSION` of the worker that served it (`x-ailb-worker-version`); absent from workers before blue/green. */
  workerVersion: z.string().optional(),
});
export type ServedBy = z.infer<typeof servedBySchema>;

/** One upstream attempt, in the order made: listed to clients in `x-ailb-attempts`. */
export const attemptRecordSchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** `success` or the error code the attempt ended with. */
  outcome: z.string(),
  durationMs: z.number().nonnegative(),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** A catalog error as it travels in replies. */
export const replyErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  param: z.string().nullish(),
  provider: z.string().optional(),
  retryAfterMs: z.number().optional(),
});

/**
 * Messages a worker sends back to the gateway instance named in `replyTo`, in order. `seq` starts at
 * 0 and increases by one, so the gateway can tell a lost message from a finished stream.
 * - non-streaming: one `result` or one `error`.
 * - streaming: `stream` messages — the first carries `start` (who serves it), each carries the parts
 *   produced since the last one, the last has `end: true` (its parts end with `finish`, or with an
 *   `error` part when the stream broke after output was sent) — or one `error` before anything started.
 * Whatever names the serving worker's version (`servedBy.workerVersion`, an error's `workerVersion`) is
 * optional, so gateways and workers one version apart (N/N−1) read each other's replies.
 */
export const chatReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), jobId: z.string(), seq: z.number().int(), servedBy: servedBySchema, attempts: z.array(attemptRecordSchema), result: chatResultSchema }),
  z.object({
    kind: z.literal('stream'),
    jobId: z.string(),
    seq: z.number().int(),
    start: z.object({ servedBy: servedBySchema, attempts: z.array(attemptRecordSchema) }).optional(),
    parts: z.array(streamPartSchema),
    end: z.literal(true).optional(),
  }),
  z.object({
    kind: z.literal('error'),
    jobId: z.string(),
    seq: z.number().int(),
    attempts: z.array(attemptRecordSchema),
    error: replyErrorSchema,
    /**
     * The `VERSION` of the worker that answered with the error (`x-ailb-worker-version`). Optional: absent
     * from workers before it existed, and from refusals the transport sends before any worker runs the job.
     */
    workerVersion: z.string().optional(),
  }),
]);
export type ChatReply = z.infer<typeof chatReplySchema>;
export type StreamReply = Extract<ChatReply, { kind: 'stream' }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A reply as a processor sends it; the transport adds `jobId` and `seq`. */
export type ReplyBody = DistributiveOmit<ChatReply, 'seq' | 'jobId'>;
