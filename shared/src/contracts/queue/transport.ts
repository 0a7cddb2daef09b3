import type { EnqueueOptions, JobOf, QueueName, ReplyBodyOf, ReplyOf } from './queue-contracts.js';

/**
 * A service's side of the job transport that produces jobs and waits for their replies. Two drivers
 * implement it with the same contract: BullMQ over Redis (split mode) and an in-process queue (the
 * embedded default). Jobs are validated once, by the consumer; replies are trusted after a cheap check.
 */
export interface JobProducer {
  /** This instance's reply channel; put it in the job's `replyTo`. */
  readonly replyChannel: string;
  /** Enqueues a job. Rejects with a GatewayError (`queue_unavailable`) when the queue cannot take it. */
  enqueue<Q extends QueueName>(queue: Q, job: JobOf<Q>, options?: EnqueueOptions): Promise<void>;
  /** Registers the handler for one job's replies; returns the function that unregisters it. */
  onReply<Q extends QueueName>(queue: Q, jobId: string, handler: (reply: ReplyOf<Q>) => void): () => void;
  /** Tells consumers (and the queue, or the job's `lane` of it) that nobody is waiting for this job any more. */
  cancel(queue: QueueName, jobId: string, options?: Pick<EnqueueOptions, 'lane'>): Promise<void>;
  /**
   * Moves the jobs waiting in `lane` of `queue` back to the plain queue, where every consumer takes
   * them: for a lane whose consumers are gone (a worker version that left). A job moves at most once
   * and is never lost: one a consumer of the lane took meanwhile stays with it, and a move cut short
   * (the process died half-way) is finished by the next call, for any lane. Resolves with the number
   * of jobs moved (0 as well when another instance is moving this lane now).
   */
  reclaimLane(queue: QueueName, lane: string): Promise<number>;
  /** Resolves when the transport can accept jobs; rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** What a processor needs to run one job. */
export interface JobContext<Q extends QueueName> {
  /** The job, decoded (and upgraded from the version before when needed). */
  job: JobOf<Q>;
  /** Aborted when the producer cancels the job (client gone), its deadline passes, or the consumer shuts down. */
  signal: AbortSignal;
  /** Sends one reply to the waiting producer; `jobId` and sequence numbers are added by the transport. */
  reply(reply: ReplyBodyOf<Q>): Promise<void>;
}

/** How far behind a queue is, for metrics. */
export interface QueueStats {
  /** Jobs waiting to be taken (all priorities, and jobs put back for later). */
  waiting: number;
  /** Jobs being run. */
  active: number;
  /** How long the oldest waiting job has waited, in milliseconds (0 when none waits). */
  lagMs: number;
}

/** Which part of a queue a consumer takes. */
export interface ConsumeOptions {
  /** A lane of the queue (see `EnqueueOptions.lane`); undefined: the plain queue. @defaultValue undefined */
  lane?: string;
}

/** A service's side of the job transport that runs jobs. */
export interface JobConsumer {
  /** Depth and lag of a queue this consumer takes jobs from, its lanes included (`chat` counts every `chat@<version>`). */
  stats(queue: QueueName): Promise<QueueStats>;
  /**
   * Starts delivering the queue's jobs to `processor`, at most `concurrency` at a time. With `lane`,
   * the jobs of that lane only (call once per lane; each lane has its own `concurrency`).
   */
  consume<Q extends QueueName>(queue: Q, processor: (context: JobContext<Q>) => Promise<void>, concurrency: number, options?: ConsumeOptions): Promise<void>;
  /** Stops taking jobs, waits for running ones to finish, releases connections. Idempotent. */
  close(): Promise<void>;
}
