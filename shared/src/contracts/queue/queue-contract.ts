import { z } from 'zod';

/**
 * What every job carries whatever its queue and version, so a consumer can answer a job it cannot
 * otherwise read: who to reply to, under which id, until when.
 */
export const jobEnvelopeSchema = z.object({
  version: z.number().int(),
  jobId: z.string().min(1),
  replyTo: z.string().min(1),
  deadlineAt: z.number(),
});
export type JobEnvelope = z.infer<typeof jobEnvelopeSchema>;

/**
 * Reading jobs of the previous version during a rolling deploy: their schema, the upgrade to the
 * current payload, and a per-job translation of current replies into the replies that version's
 * producers read.
 */
export interface PreviousVersion<Payload, ReplyBody> {
  version: number;
  payload: z.ZodType;
  upgrade(job: unknown): Payload;
  /** A fresh translator per job (it may keep state, e.g. numbering tool calls across messages). */
  replies(): (reply: ReplyBody) => unknown[];
}

/**
 * One queue: its name, the version of its payload and replies, their schemas, and how it reads the
 * version before. Consumers read versions N and N−1 and answer any other with a catalog error on the
 * job's reply channel; the error reply's shape (`{kind:'error', jobId, seq, attempts, error}`) is the
 * same in every version, so any producer understands the refusal.
 */
export interface QueueContract<Payload extends JobEnvelope = JobEnvelope, ReplyBody = unknown> {
  /** The BullMQ queue name (under the configured key prefix). */
  name: string;
  version: number;
  payload: z.ZodType<Payload>;
  /** The replies (with `jobId` and `seq`) of this version; the consumer side does not re-validate them. */
  reply: z.ZodType;
  previous?: PreviousVersion<Payload, ReplyBody>;
  /**
   * Nobody waits for the job, and it must not be lost: a consumer that dies while running it leaves
   * it for another (re-run, so its processor is idempotent), and a processor that throws
   * {@link RetryLaterError} puts it back for later instead of failing it.
   */
  durable?: boolean;
}

/**
 * Thrown by a processor of a durable queue when something it needs (the vector store) is unavailable:
 * the job goes back to its queue and the consumer takes no job of that queue for `delayMs`.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
