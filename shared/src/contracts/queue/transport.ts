import type { ChatJob } from './chat-job.js';
import type { ChatReply } from './chat-reply.js';

/**
 * The gateway's side of the job transport. Two drivers implement it with the same contract: BullMQ over
 * Redis (split mode) and an in-process queue (embedded default).
 */
export interface JobProducer {
  /** This instance's reply channel; put it in `ChatJob.replyTo`. */
  readonly replyChannel: string;
  /** Enqueues a validated job. Rejects with a GatewayError when the queue is unavailable. */
  enqueue(job: ChatJob): Promise<void>;
  /** Registers the handler for one job's replies; returns the function that unregisters it. */
  onReply(jobId: string, handler: (reply: ChatReply) => void): () => void;
  /** Tells workers (and the queue) that nobody is waiting for this job any more. */
  cancel(jobId: string): Promise<void>;
  /** Resolves when the transport can accept jobs; rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** What a worker needs to run one job. */
export interface JobContext {
  job: ChatJob;
  /** Aborted when the gateway cancels the job (client gone) or the worker shuts down. */
  signal: AbortSignal;
  /** Sends one reply to the waiting gateway; sequence numbers are assigned by the transport. */
  reply(reply: DistributiveOmit<ChatReply, 'seq' | 'jobId'>): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ReplyBody = DistributiveOmit<ChatReply, 'seq' | 'jobId'>;

/** The worker's side of the job transport. */
export interface JobConsumer {
  /** Starts delivering jobs to `handler`, at most `concurrency` at a time. */
  start(handler: (context: JobContext) => Promise<void>, concurrency: number): Promise<void>;
  /** Stops taking jobs, waits for running ones to finish, releases connections. Idempotent. */
  close(): Promise<void>;
}
