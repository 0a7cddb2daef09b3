import { laneQueueName, queueContracts, redisNames, RetryLaterError, type ConsumeOptions, type JobConsumer, type JobContext, type QueueName, type QueueStats } from '../../index.js';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BullmqQueueStats } from './bullmq-queue-stats.js';
import { admitJob, answerAbandonedJob, RecentCancellations, type Publish } from './job-admission.js';

/** BullMQ's reason for failing a job that stalled more often than `maxStalledCount` allows. */
const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

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
 * The consumer side of the BullMQ driver, for any queue: takes jobs, replies over the producer
 * instance's pub/sub channel and aborts jobs that producers cancel.
 */
export class BullmqJobConsumer implements JobConsumer {
  private readonly workers: Worker[] = [];
  /** Queue statistics, lanes included, opened on first use. */
  private queueStats: BullmqQueueStats | undefined;
  private subscribed: Promise<void> | undefined;
  private readonly cancellations = new RecentCancellations();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullmqJobConsumerOptions) {}

  /** One subscription for every queue: a cancel names a job id, and job ids are unique across queues. */
  private subscribeToCancels(): Promise<void> {
    this.subscribed ??= (async () => {
      const { subscriber, prefix } = this.options;
      const cancelChannel = redisNames(prefix).cancelChannel;
      subscriber.on('message', (channel: string, jobId: string) => {
        if (channel !== cancelChannel) return;
        this.cancellations.add(jobId);
        for (const worker of this.workers) worker.cancelJob(jobId, 'cancelled by the producer');
      });
      await subscriber.subscribe(cancelChannel);
    })();
    return this.subscribed;
  }

  async consume<Q extends QueueName>(queue: Q, processor: (context: JobContext<Q>) => Promise<void>, concurrency: number, options: ConsumeOptions = {}): Promise<void> {
    const { prefix, publisher, logger } = this.options;
    await this.subscribeToCancels();
    // Lanes are listed once, here (never per job), so statistics of the queue can sum them.
    if (options.lane !== undefined) await publisher.sadd(redisNames(prefix).queueLanes(queueContracts[queue].name), options.lane);
    const publish: Publish = async (channel, message) => {
      await publisher.publish(channel, JSON.stringify(message));
    };
    const run = async (job: Job, _token?: string, signal?: AbortSignal): Promise<void> => {
      const admitted = admitJob(queue, job.data, { cancellations: this.cancellations, logger, publish, signal });
      if (!admitted) return;
      try {
        await processor(admitted.context);
      } catch (error) {
        if (error instanceof RetryLaterError) {
          // BullMQ's way to say "not now": the job goes back to wait without using up an attempt, and
          // this worker takes no job of the queue for the delay.
          logger.warn({ queue, jobId: job.id, delayMs: error.delayMs, reason: error.message }, 'job put back for later');
          await worker.rateLimit(error.delayMs);
          throw Worker.RateLimitError();
        }
        throw error;
      } finally {
        admitted.release();
      }
    };
    const worker = new Worker(laneQueueName(queueContracts[queue].name, options.lane), run, {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix,
      concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      // A chat job that stalled twice is failed rather than re-run forever (its deadline ends it anyway);
      // a durable job is re-run by another consumer however often its consumers die.
      maxStalledCount: queueContracts[queue].durable ? 1000 : 1,
      autorun: false,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 1000 },
    });
    worker.on('error', (error) => logger.error({ err: error, queue }, 'BullMQ worker error'));
    if (!queueContracts[queue].durable) {
      // A job that stalled too often is failed by the worker that would have re-run it: its producer is
      // told now (reply_lost) rather than at the request's deadline.
      worker.on('failed', (job, error) => {
        if (job && error.message === STALLED_TOO_OFTEN) {
          logger.warn({ queue, jobId: job.id }, 'a job whose workers died twice was failed; telling its gateway');
          answerAbandonedJob(job.data, publish).catch((publishError: unknown) => logger.warn({ err: publishError, jobId: job.id }, 'could not tell the gateway of an abandoned job'));
        }
      });
    }
    this.workers.push(worker);
    void worker.run();
    await worker.waitUntilReady();
  }

  /** Depth and lag of the queue and every lane a consumer took (a lane whose workers left still counts its waiting jobs). */
  stats(queue: QueueName): Promise<QueueStats> {
    const { redisUrl, prefix, publisher, logger } = this.options;
    this.queueStats ??= new BullmqQueueStats({ redisUrl, prefix, redis: publisher, logger });
    return this.queueStats.stats(queue);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(
        this.workers.map(async (worker) => {
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
        }),
      );
      await this.options.subscriber.unsubscribe().catch(() => undefined);
      await this.queueStats?.close();
    })();
    return this.closing;
  }
}
