import { chatJobSchema, chatReplySchema, type ChatJob, type ChatReply, type JobConsumer, type JobPriority, type JobContext, type JobProducer } from '../../index.js';
import { admitJob, RecentCancellations } from './job-admission.js';
import type { Logger } from 'pino';

/**
 * The embedded default's queue: gateway and worker in one process, same job contract and code path as
 * BullMQ. Jobs and replies are serialized and validated exactly as they would be on the wire, so the
 * embedded default cannot accept what split mode would reject.
 */
export class InProcessTransport {
  readonly producer: JobProducer;
  readonly consumer: JobConsumer;
  /** Waiting jobs by priority, served high first; `high` also jumps ahead within its own list, as in BullMQ. */
  private readonly waiting: Record<JobPriority, ChatJob[]> = { high: [], normal: [], low: [] };
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly handlers = new Map<string, (reply: ChatReply) => void>();
  private readonly cancellations = new RecentCancellations();
  private handler: ((context: JobContext) => Promise<void>) | undefined;
  private concurrency = 1;
  private accepting = true;

  constructor(private readonly logger: Logger) {
    this.producer = {
      replyChannel: 'in-process',
      enqueue: async (job) => {
        if (!this.accepting) throw new Error('the in-process queue is closed');
        const decoded = chatJobSchema.parse(JSON.parse(JSON.stringify(job)));
        if (decoded.priority === 'high') this.waiting.high.unshift(decoded);
        else this.waiting[decoded.priority].push(decoded);
        this.pump();
      },
      onReply: (jobId, handler) => {
        this.handlers.set(jobId, handler);
        return () => {
          if (this.handlers.get(jobId) === handler) this.handlers.delete(jobId);
        };
      },
      cancel: async (jobId) => {
        this.cancellations.add(jobId);
        for (const list of Object.values(this.waiting)) {
          const index = list.findIndex((job) => job.jobId === jobId);
          if (index >= 0) list.splice(index, 1);
        }
        this.running.get(jobId)?.controller.abort();
      },
      checkReady: async () => {
        if (!this.accepting) throw new Error('the in-process queue is closed');
      },
      close: async () => {
        this.accepting = false;
      },
    };
    this.consumer = {
      start: async (handler, concurrency) => {
        this.handler = handler;
        this.concurrency = concurrency;
        this.pump();
      },
      close: async () => {
        this.accepting = false;
        this.handler = undefined;
        await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
      },
    };
  }

  private publish = async (_channel: string, reply: ChatReply): Promise<void> => {
    const decoded = chatReplySchema.parse(JSON.parse(JSON.stringify(reply)));
    this.handlers.get(decoded.jobId)?.(decoded);
  };

  private pump(): void {
    for (;;) {
      const handler = this.handler;
      if (!handler || this.running.size >= this.concurrency) return;
      const job = this.waiting.high.shift() ?? this.waiting.normal.shift() ?? this.waiting.low.shift();
      if (!job) return;
      const controller = new AbortController();
      const admitted = admitJob(job, { cancellations: this.cancellations, logger: this.logger, publish: this.publish, signal: controller.signal });
      if (!admitted) continue;
      const done = handler(admitted.context)
        .catch((error: unknown) => this.logger.error({ err: error, jobId: job.jobId }, 'job handler failed'))
        .finally(() => {
          admitted.release();
          this.running.delete(job.jobId);
          this.pump();
        });
      this.running.set(job.jobId, { controller, done });
    }
  }
}
