import { redisNames, type ChatReply, type JobConsumer, type JobContext } from '../../index.js';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { admitJob, RecentCancellations } from './job-admission.js';

export interface BullmqJobConsumerOptions {
  redisUrl: string;
  prefix: string;
  /** Used to publish replies (a normal, non-subscriber connection). */
  publisher: Redis;
  /** A dedicated connection for the cancel subscription (subscriber mode blocks other commands). */
  subscriber: Redis;
  logger: Logger;
  /** Longest a graceful close waits for running jobs (no job outlives its deadline anyway). */
  drainTimeoutMs: number;
  /**
   * Lock of a running job, renewed by BullMQ every half period. A worker that dies stops renewing; the
   * stalled check of any live worker then puts the job back for another worker to run.
   */
  lockMs: number;
}

/**
 * The worker side of the BullMQ driver: takes chat jobs from the queue, replies over the gateway
 * instance's pub/sub channel and aborts jobs that gateways cancel.
 */
export class BullmqJobConsumer implements JobConsumer {
  private worker: Worker | undefined;
  private readonly cancellations = new RecentCancellations();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullmqJobConsumerOptions) {}

  async start(handler: (context: JobContext) => Promise<void>, concurrency: number): Promise<void> {
    const { prefix, subscriber, publisher, logger } = this.options;
    const names = redisNames(prefix);
    subscriber.on('message', (channel: string, jobId: string) => {
      if (channel !== names.cancelChannel) return;
      this.cancellations.add(jobId);
      this.worker?.cancelJob(jobId, 'cancelled by the gateway');
    });
    await subscriber.subscribe(names.cancelChannel);

    const publish = async (channel: string, reply: ChatReply) => {
      await publisher.publish(channel, JSON.stringify(reply));
    };
    const processor = async (job: Job, _token?: string, signal?: AbortSignal): Promise<void> => {
      const admitted = admitJob(job.data, { cancellations: this.cancellations, logger, publish, signal });
      if (!admitted) return;
      try {
        await handler(admitted.context);
      } finally {
        admitted.release();
      }
    };
    this.worker = new Worker(names.chatQueue, processor, {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix,
      concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      // A job that stalled twice is failed rather than re-run forever; its deadline ends it anyway.
      maxStalledCount: 1,
      autorun: false,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 1000 },
    });
    this.worker.on('error', (error) => logger.error({ err: error }, 'BullMQ worker error'));
    void this.worker.run();
    await this.worker.waitUntilReady();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker;
      if (worker) {
        // Worker.close() waits for running jobs to finish: the graceful drain. It never returns while
        // Redis is unreachable, so it is bounded, and then the connections are dropped.
        const drained = await Promise.race([
          worker.close().then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), this.options.drainTimeoutMs).unref()),
        ]);
        if (!drained) {
          this.options.logger.warn({ drainTimeoutMs: this.options.drainTimeoutMs }, 'jobs did not drain in time; disconnecting');
          await worker.disconnect().catch(() => undefined);
        }
      }
      await this.options.subscriber.unsubscribe().catch(() => undefined);
    })();
    return this.closing;
  }
}
