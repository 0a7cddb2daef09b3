import { randomUUID } from 'node:crypto';
import {
  GatewayError,
  KNOWLEDGE_JOB_VERSION,
  type ContextRequest,
  type ContextResult,
  type GatewayState,
  type JobProducer,
  type KnowledgeOperation,
  type KnowledgeOperationName,
  type KnowledgeResults,
  type MemoryTurn,
} from '@ailb/shared';

export interface KnowledgeClientOptions {
  producer: JobProducer;
  state: Pick<GatewayState, 'liveCount'>;
  /** How long an operation on files, stores or sessions may take. @defaultValue 30000 */
  operationTimeoutMs?: number;
  /** How long a remembered turn is worth writing (the memory TTL): its job's deadline. */
  memoryTtlMs: number;
}

/**
 * The gateway's side of the embedder: operations on knowledge bases and sessions (request/reply over
 * the `knowledge` queue), context for chat requests (`context`, within the request's retrieval
 * deadline) and turns to remember (`memory`, durable: nobody waits). Requests nobody could answer are
 * refused at once: 503 `no_embedder_available` when no embedder sent a heartbeat recently.
 */
export class KnowledgeClient {
  private live: { at: number; count: number } | undefined;

  constructor(private readonly options: KnowledgeClientOptions) {}

  /** Runs one operation in the embedder and returns its value, or throws its catalog error. */
  async run<Op extends KnowledgeOperationName>(tenant: string, operation: Extract<KnowledgeOperation, { op: Op }>): Promise<KnowledgeResults[Op]> {
    await this.ensureEmbedders();
    const timeoutMs = this.options.operationTimeoutMs ?? 30_000;
    return (await this.request('knowledge', tenant, timeoutMs, { operation })) as KnowledgeResults[Op];
  }

  /**
   * Context for one chat request, within `timeoutMs`. Rejects with the embedder's catalog error (a
   * store that does not exist is a 404), or with `deadline_exceeded`/`no_embedder_available`/
   * `queue_unavailable` when the embedder cannot answer in time; the caller degrades on those.
   */
  async retrieveContext(tenant: string, request: ContextRequest, timeoutMs: number): Promise<ContextResult> {
    await this.ensureEmbedders();
    return (await this.request('context', tenant, timeoutMs, { request })) as ContextResult;
  }

  /** Queues a completed turn for the session's memory; it waits in its queue until an embedder writes it. */
  async remember(tenant: string, sessionId: string, turn: MemoryTurn): Promise<void> {
    const now = Date.now();
    const { producer, memoryTtlMs } = this.options;
    await producer.enqueue('memory', { version: KNOWLEDGE_JOB_VERSION, jobId: randomUUID(), replyTo: producer.replyChannel, deadlineAt: now + memoryTtlMs, tenant, sessionId, turn });
  }

  private async request(queue: 'knowledge' | 'context', tenant: string, timeoutMs: number, body: { operation: KnowledgeOperation } | { request: ContextRequest }): Promise<unknown> {
    const { producer } = this.options;
    const jobId = randomUUID();
    const deadlineAt = Date.now() + timeoutMs;
    let unsubscribe: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<unknown>((resolve, reject) => {
      unsubscribe = producer.onReply(queue, jobId, (reply) => {
        if (reply.kind === 'result') resolve(reply.value);
        else reject(GatewayError.fromData(reply.error));
      });
      timer = setTimeout(() => reject(new GatewayError('deadline_exceeded', `The embedder did not answer within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      const envelope = { version: KNOWLEDGE_JOB_VERSION, jobId, replyTo: producer.replyChannel, deadlineAt, tenant };
      if ('operation' in body) await producer.enqueue('knowledge', { ...envelope, operation: body.operation });
      else await producer.enqueue('context', { ...envelope, request: body.request }, { priority: 'high' });
      return await answer;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'deadline_exceeded') void producer.cancel(queue, jobId).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      unsubscribe?.();
      answer.catch(() => undefined);
    }
  }

  /** 503 when no embedder announced itself recently; the count is cached for a second. */
  private async ensureEmbedders(): Promise<void> {
    const now = Date.now();
    if (!this.live || now - this.live.at >= 1000) {
      let count: number;
      try {
        count = await this.options.state.liveCount('embedder', now);
      } catch (error) {
        throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
      }
      this.live = { at: now, count };
    }
    if (this.live.count === 0) throw new GatewayError('no_embedder_available', 'No embedder is running to serve memory and knowledge bases; start one (npm run start:embedder) or try again shortly.', { retryAfterMs: 1000 });
  }
}
