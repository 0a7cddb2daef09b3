import { RetryLaterError, type JobContext } from '@ailb/shared';
import type { Logger } from 'pino';
import type { KnowledgeContext } from '../knowledge/knowledge-context.js';
import { turnText } from '../memory/memory-store.js';
import { isChromaUnavailable } from '../store/chroma-access.js';

/** The `memory` queue's processor: embeds a completed turn and stores it in its session. */
export function memoryProcessor(context: KnowledgeContext, logger: Logger) {
  return async ({ job }: JobContext<'memory'>): Promise<void> => {
    try {
      const [vector] = await context.model.embed([turnText(job.turn)], { priority: 'bulk' });
      await context.memory.add(job.tenant, job.sessionId, job.jobId, job.turn, vector!, context.config.memory.maxTurns);
    } catch (error) {
      // Chroma down: the turn waits in its queue; anything else is logged and the turn dropped.
      if (isChromaUnavailable(error)) throw new RetryLaterError('the vector store is unavailable', 5000);
      logger.error({ err: error, tenant: job.tenant, sessionId: job.sessionId }, 'could not remember a turn');
    }
  };
}
