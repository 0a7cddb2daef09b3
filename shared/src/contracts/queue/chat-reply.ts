import { z } from 'zod';
import { errorCatalog } from '../errors/error-catalog.js';
import { chatResultSchema } from '../spec/chat-result.js';
import { streamPartSchema } from '../spec/stream-part.js';
import { usageSchema } from '../spec/usage.js';

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

/**
 * One upstream attempt, in the order made: listed to clients in `x-ailb-attempts`. `outcome` is
 * `success` (it served the answer), `continued` (it finished a stream another attempt broke off),
 * `hedged_out` (a parallel attempt answered first; this one was aborted) or the error code it failed
 * with (a stream that broke after starting included).
 */
export const attemptRecordSchema = z.object({
  provider: z.string(),
  model: z.string(),
  outcome: z.string(),
  durationMs: z.number().nonnegative(),
  /**
   * What this attempt consumed, as its provider reported it (null: reported nothing). Set by workers
   * on every attempt that produced output or was aborted; absent from earlier workers, whose serving
   * attempt is billed with the answer's usage.
   */
  usage: usageSchema.nullable().optional(),
});

/** Outcomes of attempts whose output reached the client: they are billed. */
export const SERVING_OUTCOMES: ReadonlySet<string> = new Set(['success', 'continued']);
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
    /**
     * On the message with `end`: every attempt of the job, when they changed after `start` (a stream
     * that broke and was continued, or broke and failed). Absent: `start.attempts` stand.
     */
    attempts: z.array(attemptRecordSchema).optional(),
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
