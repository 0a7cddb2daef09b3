import type { Logger } from 'pino';
import { GatewayError, jobEnvelopeSchema, queueContracts, type JobContext, type JobOf, type QueueName, type ReplyBodyOf } from '../../index.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Publishes one reply message (with `jobId` and `seq`) to a producer's reply channel. */
export type Publish = (channel: string, message: object) => Promise<void>;

/**
 * Remembers recently cancelled job ids, so a job cancelled before a consumer picked it up is dropped
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

export interface AdmittedJob<Q extends QueueName> {
  context: JobContext<Q>;
  /** Cancels the job (its producer stopped waiting): aborts the context's signal. */
  abort(reason?: unknown): void;
  /** Call when the job is done: clears its deadline timer. */
  release(): void;
}

export interface AdmitOptions {
  cancellations: RecentCancellations;
  logger: Logger;
  publish: Publish;
  /** The transport's own cancellation signal for this job, if it has one. */
  signal?: AbortSignal | undefined;
  /**
   * The job was built in this process by typed code (the in-process transport): a job of the current
   * version is trusted after the cheap envelope check instead of decoded again. Jobs that crossed Redis
   * are always decoded.
   */
  trusted?: boolean;
}

/** The first reply to a job that cannot be run: the refusal shape every version shares. */
function refuse(publish: Publish, replyTo: string, jobId: string, error: GatewayError): Promise<void> {
  return publish(replyTo, { kind: 'error', jobId, seq: 0, attempts: [], error: error.toData() });
}

/**
 * Tells the producer of a job no worker will run (BullMQ failed it for stalling more often than its
 * queue allows: the workers running it died) that its answer is lost, so the client gets a clean,
 * retryable error at once instead of waiting for the deadline. A job without a readable envelope has
 * nobody to tell.
 */
export function answerAbandonedJob(data: unknown, publish: Publish): Promise<void> {
  const envelope = jobEnvelopeSchema.safeParse(data);
  if (!envelope.success) return Promise.resolve();
  const error = new GatewayError('reply_lost', 'The workers running this request stopped before it was answered; retry the request.');
  return refuse(publish, envelope.data.replyTo, envelope.data.jobId, error);
}

/**
 * The checks every transport makes when a job of `queue` arrives, in one place: the payload is decoded
 * (once: producers do not validate, replies are not re-validated), a job of the version before is
 * upgraded and answered in that version's words, a job of any other version or that cannot be decoded
 * is answered with a catalog error on its reply channel (never dropped while its producer waits), a
 * cancelled or expired job is dropped. Returns the context to run it with, or undefined.
 */
export function admitJob<Q extends QueueName>(queue: Q, data: unknown, options: AdmitOptions): AdmittedJob<Q> | undefined {
  const contract = queueContracts[queue];
  const { logger, publish } = options;
  const envelope = jobEnvelopeSchema.safeParse(data);
  if (!envelope.success) {
    // No reply channel to answer on: nobody can be waiting for an answer we could send.
    logger.error({ queue, issues: envelope.error.issues.slice(0, 3) }, 'dropping a job without a readable envelope');
    return undefined;
  }
  const { jobId, replyTo, version } = envelope.data;
  const failed = (error: GatewayError) => {
    logger.error({ queue, jobId, version, code: error.code, detail: error.message }, 'refusing a job');
    refuse(publish, replyTo, jobId, error).catch((publishError: unknown) => logger.warn({ err: publishError, jobId }, 'could not send the refusal'));
    return undefined;
  };
  let job: JobOf<Q>;
  let translate: ((reply: ReplyBodyOf<Q>) => unknown[]) | undefined;
  if (version === contract.version && options.trusted) {
    job = data as JobOf<Q>;
  } else if (version === contract.version) {
    const parsed = contract.payload.safeParse(data);
    if (!parsed.success) return failed(new GatewayError('job_invalid', `The ${queue} job could not be read: ${parsed.error.issues[0]?.message ?? 'invalid payload'}.`));
    job = parsed.data;
  } else if (version === contract.previous?.version) {
    const parsed = contract.previous.payload.safeParse(data);
    if (!parsed.success) return failed(new GatewayError('job_invalid', `The ${queue} job (version ${version}) could not be read: ${parsed.error.issues[0]?.message ?? 'invalid payload'}.`));
    job = contract.previous.upgrade(parsed.data);
    translate = contract.previous.replies();
  } else {
    const readable = [contract.previous?.version, contract.version].filter((known) => known !== undefined).join(' and ');
    return failed(new GatewayError('job_version_unsupported', `This worker reads ${queue} jobs of version ${readable}, not ${version} (a rolling deploy is under way); retry.`, { retryAfterMs: 1000 }));
  }

  if (options.cancellations.has(jobId)) return undefined;
  const remainingMs = envelope.data.deadlineAt - Date.now();
  if (remainingMs <= 0) {
    logger.warn({ queue, jobId }, 'dropping a job whose deadline has passed');
    return undefined;
  }
  // One controller and one timer per job: AbortSignal.timeout/any showed up in profiles at load.
  const controller = new AbortController();
  // Timers longer than 2^31 − 1 ms fire at once in Node: a far deadline (durable jobs) sets none.
  const timer = remainingMs < MAX_TIMER_MS ? setTimeout(() => controller.abort(new Error('deadline passed')), remainingMs) : undefined;
  timer?.unref();
  const external = options.signal;
  const onExternalAbort = () => controller.abort(external?.reason);
  if (external?.aborted) onExternalAbort();
  else external?.addEventListener('abort', onExternalAbort, { once: true });
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  // Sequence numbers are assigned here, in one place for every transport, so the producer can tell a
  // lost message from the end of the answer.
  let seq = 0;
  const send = (body: object) => publish(replyTo, { ...body, jobId, seq: seq++ });
  const context: JobContext<Q> = {
    job,
    signal: controller.signal,
    reply: translate
      ? async (body) => {
          for (const message of translate(body)) await send(message as object);
        }
      : (body) => send(body as object),
  };
  return {
    context,
    abort: (reason) => controller.abort(reason),
    release: () => {
      clearTimeout(timer);
      external?.removeEventListener('abort', onExternalAbort);
    },
  };
}
