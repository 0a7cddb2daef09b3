import type { Logger } from 'pino';
import { laneQueueName, queueContracts, RetryLaterError, type JobConsumer, type JobContext, type JobPriority, type JobProducer, type QueueName } from '../../index.js';
import { admitJob, RecentCancellations, type Publish } from './job-admission.js';

/** A job waiting in memory, with what it was enqueued as. */
interface Waiting {
  jobId: string;
  data: unknown;
  /** Date.now() when it was enqueued. */
  since: number;
}

/** One queue's (or one lane's) state: waiting jobs by priority, running ones, and its processor once consumed. */
interface LocalQueue {
  name: QueueName;
  waiting: Record<JobPriority, Waiting[]>;
  running: Map<string, { abort: (reason?: unknown) => void; done: Promise<void> }>;
  processor: ((context: JobContext<QueueName>) => Promise<void>) | undefined;
  concurrency: number;
  /** A processor asked to retry later (its store is down): no job starts before this time. */
  pausedUntil: number;
  resumeTimer: NodeJS.Timeout | undefined;
}

/** Longest a closing consumer keeps running the waiting jobs of durable queues. */
const DURABLE_DRAIN_MS = 10_000;

/**
 * The embedded default's transport: producer and consumer in one process, for every queue, with the
 * same contract and admission code as BullMQ. Jobs and replies are handed over as objects: nothing on
 * this path mutates them afterwards, and a job built by the gateway's typed code in this process is
 * trusted after the envelope and version check (BullMQ's consumer decodes what crossed Redis).
 */
export class InProcessTransport {
  readonly producer: JobProducer;
  readonly consumer: JobConsumer;
  /** By transport name: a queue, or a lane of it (`chat@v2`). */
  private readonly queues = new Map<string, LocalQueue>();
  private readonly handlers = new Map<string, (reply: never) => void>();
  private readonly cancellations = new RecentCancellations();
  private accepting = true;

  constructor(private readonly logger: Logger) {
    this.producer = {
      replyChannel: 'in-process',
      enqueue: async (name, job, options = {}) => {
        if (!this.accepting) throw new Error('the in-process queue is closed');
        const queue = this.queue(name, options.lane);
        const priority = options.priority ?? 'normal';
        // `high` also jumps ahead within its own list, as in BullMQ (LIFO).
        const waiting = { jobId: job.jobId, data: job, since: Date.now() };
        if (priority === 'high') queue.waiting.high.unshift(waiting);
        else queue.waiting[priority].push(waiting);
        this.pump(queue);
      },
      onReply: (_queue, jobId, handler) => {
        this.handlers.set(jobId, handler as (reply: never) => void);
        return () => {
          if (this.handlers.get(jobId) === handler) this.handlers.delete(jobId);
        };
      },
      cancel: async (name, jobId, options = {}) => {
        this.cancellations.add(jobId);
        // A lane's job may have been moved back to the plain queue (its consumers left): both are searched.
        for (const queue of options.lane === undefined ? [this.queue(name)] : [this.queue(name, options.lane), this.queue(name)]) {
          for (const list of Object.values(queue.waiting)) {
            const index = list.findIndex((job) => job.jobId === jobId);
            if (index >= 0) list.splice(index, 1);
          }
          queue.running.get(jobId)?.abort();
        }
      },
      reclaimLane: async (name, lane) => {
        // One thread: taking the waiting jobs and placing them is one step, and running ones stay where they run.
        const from = this.queues.get(laneQueueName(name, lane));
        if (!from) return 0;
        const to = this.queue(name);
        let moved = 0;
        for (const priority of ['high', 'normal', 'low'] as const) {
          const jobs = from.waiting[priority].splice(0);
          to.waiting[priority].push(...jobs);
          moved += jobs.length;
        }
        if (moved > 0) {
          this.logger.info({ lane: laneQueueName(name, lane), moved }, 'moved the waiting jobs of a lane without workers back to the plain queue');
          this.pump(to);
        }
        return moved;
      },
      checkReady: async () => {
        if (!this.accepting) throw new Error('the in-process queue is closed');
      },
      close: async () => {
        this.accepting = false;
      },
    };
    this.consumer = {
      stats: async (name) => {
        // The queue with its lanes (`chat` and every `chat@<version>`).
        const queues = [...this.queues.values()].filter((queue) => queue.name === name);
        const waiting = queues.flatMap((queue) => Object.values(queue.waiting).flat());
        const active = queues.reduce((sum, queue) => sum + queue.running.size, 0);
        const oldest = waiting.reduce((earliest, job) => Math.min(earliest, job.since), Number.POSITIVE_INFINITY);
        return { waiting: waiting.length, active, lagMs: waiting.length === 0 ? 0 : Date.now() - oldest };
      },
      consume: async (name, processor, concurrency, options = {}) => {
        const queue = this.queue(name, options.lane);
        queue.processor = processor as (context: JobContext<QueueName>) => Promise<void>;
        queue.concurrency = concurrency;
        this.pump(queue);
      },
      close: async () => {
        this.accepting = false;
        // Durable jobs (turns to remember, files to ingest) still waiting are run first, within a bound:
        // in this transport they live in memory only.
        const drainUntil = Date.now() + DURABLE_DRAIN_MS;
        const durableWaiting = () => [...this.queues.values()].some((queue) => queueContracts[queue.name].durable && queue.processor && Object.values(queue.waiting).some((list) => list.length > 0));
        while (durableWaiting() && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20));
        const running: Array<Promise<void>> = [];
        for (const queue of this.queues.values()) {
          clearTimeout(queue.resumeTimer);
          queue.processor = undefined;
          running.push(...[...queue.running.values()].map((entry) => entry.done));
        }
        await Promise.allSettled(running);
      },
    };
  }

  private queue(name: QueueName, lane?: string): LocalQueue {
    const key = laneQueueName(name, lane);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { name, waiting: { high: [], normal: [], low: [] }, running: new Map(), processor: undefined, concurrency: 1, pausedUntil: 0, resumeTimer: undefined };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private readonly publish: Publish = async (_channel, message) => {
    this.handlers.get((message as { jobId: string }).jobId)?.(message as never);
  };

  private pump(queue: LocalQueue): void {
    for (;;) {
      const processor = queue.processor;
      if (!processor || queue.running.size >= queue.concurrency) return;
      const pausedFor = queue.pausedUntil - Date.now();
      if (pausedFor > 0) {
        queue.resumeTimer ??= setTimeout(() => {
          queue.resumeTimer = undefined;
          this.pump(queue);
        }, pausedFor);
        return;
      }
      const job = queue.waiting.high.shift() ?? queue.waiting.normal.shift() ?? queue.waiting.low.shift();
      if (!job) return;
      const admitted = admitJob(queue.name, job.data, { cancellations: this.cancellations, logger: this.logger, publish: this.publish, trusted: true });
      if (!admitted) continue;
      const done = processor(admitted.context)
        .catch((error: unknown) => {
          if (error instanceof RetryLaterError) {
            // Back to the head of its queue; nothing of this queue starts until the pause is over.
            queue.waiting.normal.unshift(job);
            queue.pausedUntil = Date.now() + error.delayMs;
            this.logger.warn({ queue: queue.name, jobId: job.jobId, delayMs: error.delayMs, reason: error.message }, 'job put back for later');
            return;
          }
          this.logger.error({ err: error, jobId: job.jobId }, 'job processor failed');
        })
        .finally(() => {
          admitted.release();
          queue.running.delete(job.jobId);
          this.pump(queue);
        });
      queue.running.set(job.jobId, { abort: admitted.abort, done });
    }
  }
}
