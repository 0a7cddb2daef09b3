import { GatewayError, type ChatJob, type JobPriority, type JobProducer } from '@ailb/shared';
import { ReplyStream } from './reply-stream.js';
import type { WorkerAvailability } from './worker-availability.js';

/** A job on its way: its replies in order, and how to stop waiting for it. */
export interface Dispatched {
  replies: ReplyStream;
  /** Nobody waits any more (client gone, deadline, relay failure): stop listening and cancel the job. Idempotent. */
  cancel(): void;
  /** The answer arrived in full: stop listening. Idempotent. */
  settle(): void;
}

/** Picks the chat queue lane of a job (a worker version under blue/green); undefined: the plain queue. Synchronous: no I/O per job. */
export type LaneChooser = () => string | undefined;

/**
 * Sends chat jobs to workers through the job producer and hands back their replies in order. It refuses
 * work no worker could take (none alive) before anything is enqueued.
 */
export class Dispatcher {
  private chooseLane: LaneChooser = () => undefined;

  constructor(
    readonly producer: JobProducer,
    readonly workers: WorkerAvailability,
    readonly requestTimeoutMs: number,
  ) {}

  /** Routes jobs to lanes (the deployment plugin's blue/green worker versions) from now on. */
  useLanes(chooser: LaneChooser): void {
    this.chooseLane = chooser;
  }

  /** 503 `no_worker_available` when no worker sent a heartbeat recently. */
  async ensureWorkers(): Promise<void> {
    if ((await this.workers.liveWorkers()) === 0) {
      throw new GatewayError('no_worker_available', 'No worker is available to serve the request; try again shortly.', { retryAfterMs: 1000 });
    }
  }

  /** Enqueues the job, listening before it leaves: a fast worker may answer before `enqueue` resolves. */
  async dispatch(job: ChatJob, priority: JobPriority, onCancelError: (error: unknown) => void): Promise<Dispatched> {
    const replies = new ReplyStream(this.producer, job.jobId, job.deadlineAt);
    const lane = this.chooseLane();
    let settled = false;
    const dispatched: Dispatched = {
      replies,
      cancel: () => {
        if (settled) return;
        settled = true;
        replies.close();
        this.producer.cancel('chat', job.jobId, { lane }).catch(onCancelError);
      },
      settle: () => {
        settled = true;
        replies.close();
      },
    };
    try {
      await this.producer.enqueue('chat', job, { priority, lane });
    } catch (error) {
      dispatched.settle();
      throw error;
    }
    return dispatched;
  }
}
