import { chatJobSchema, type ChatJob, type ChatReply, type JobContext, type ReplyBody } from '../../index.js';
import type { Logger } from 'pino';

/**
 * Builds the context a job handler runs with. Sequence numbers are assigned here, in one place for
 * every transport, so the gateway can detect a lost reply. Replies are typed here and validated by
 * the gateway on receipt; validating every streamed token twice cost measurable CPU per token.
 */
export function createJobContext(
  job: ChatJob,
  signal: AbortSignal,
  publish: (channel: string, reply: ChatReply) => Promise<void>,
): JobContext {
  let seq = 0;
  return {
    job,
    signal,
    async reply(body: ReplyBody) {
      await publish(job.replyTo, { ...body, jobId: job.jobId, seq: seq++ } as ChatReply);
    },
  };
}

/**
 * Remembers recently cancelled job ids, so a job cancelled before a worker picked it up is dropped
 * without a Redis round trip on the hot path.
 */
export class RecentCancellations {
  private readonly entries = new Map<string, number>();

  constructor(private readonly ttlMs = 60_000) {}

  add(jobId: string, now = Date.now()): void {
    this.entries.set(jobId, now + this.ttlMs);
    if (this.entries.size > 10_000) this.prune(now);
  }

  has(jobId: string, now = Date.now()): boolean {
    const expiry = this.entries.get(jobId);
    return expiry !== undefined && expiry > now;
  }

  private prune(now: number): void {
    for (const [jobId, expiry] of this.entries) if (expiry <= now) this.entries.delete(jobId);
  }
}

export interface AdmittedJob {
  context: JobContext;
  release(): void;
}

export interface AdmitOptions {
  cancellations: RecentCancellations;
  logger: Logger;
  publish: (channel: string, reply: ChatReply) => Promise<void>;
  /** The transport's own cancellation signal for this job, if it has one. */
  signal?: AbortSignal | undefined;
}

/**
 * The checks every transport makes when a job arrives: a valid payload (validated again on this side
 * of the queue), not cancelled, deadline not passed. Returns the context to run it with, or undefined
 * when the job must be dropped. Call `release` when the job is done, to clear its deadline timer.
 */
export function admitJob(data: unknown, options: AdmitOptions): AdmittedJob | undefined {
  const parsed = chatJobSchema.safeParse(data);
  if (!parsed.success) {
    // Without a valid payload there is no trustworthy reply channel: log loudly and drop.
    options.logger.error({ issues: parsed.error.issues.slice(0, 3) }, 'dropping a job with an invalid payload');
    return undefined;
  }
  const job = parsed.data;
  if (options.cancellations.has(job.jobId)) return undefined;
  const remainingMs = job.deadlineAt - Date.now();
  if (remainingMs <= 0) {
    options.logger.warn({ jobId: job.jobId, requestId: job.requestId }, 'dropping a job whose deadline has passed');
    return undefined;
  }
  // One controller and one timer per job: AbortSignal.timeout/any showed up in profiles at load.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('deadline passed')), remainingMs);
  timer.unref();
  const external = options.signal;
  const onExternalAbort = () => controller.abort(external?.reason);
  if (external?.aborted) onExternalAbort();
  else external?.addEventListener('abort', onExternalAbort, { once: true });
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return {
    context: createJobContext(job, controller.signal, options.publish),
    release: () => {
      clearTimeout(timer);
      external?.removeEventListener('abort', onExternalAbort);
    },
  };
}
