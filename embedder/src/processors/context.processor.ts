import { GatewayError, toGatewayError, type ContextResult, type JobContext } from '@ailb/shared';
import type { Logger } from 'pino';
import type { KnowledgeContext } from '../knowledge/knowledge-context.js';
import { recallTurns } from '../memory/recall.js';

/**
 * The `context` queue's processor: for one chat request, the chunks of its vector store that best match
 * its last user message (`rag_collection` may be the store's id or its name) and the turns of its
 * session worth remembering. The message is embedded once for both. A store that does not exist is a
 * 404 for the client; the gateway's deadline bounds everything else.
 */
export function contextProcessor(context: KnowledgeContext, logger: Logger) {
  return async ({ job, reply, signal }: JobContext<'context'>): Promise<void> => {
    const { tenant, request } = job;
    try {
      const [vector] = await context.model.embed([request.query], { priority: 'query', signal });
      const result: ContextResult = {};
      const rag = request.rag
        ? (async () => {
            const store = (await context.catalog.getStoreRecord(tenant, request.rag!.store)) ?? (await context.catalog.findStoreByName(tenant, request.rag!.store));
            if (!store) throw new GatewayError('not_found', `No vector store found with id or name '${request.rag!.store}'.`, { param: 'rag_collection' });
            const hits = await context.retriever.search(tenant, store, { queries: [request.query], maxResults: request.rag!.topK }, new Map([[request.query, vector!]]));
            result.rag = { storeId: store.id, chunks: hits.map(({ fileId, filename, score, text }) => ({ fileId, filename, score, text })) };
          })()
        : undefined;
      const memory = request.memory
        ? (async () => {
            result.memory = { turns: await recallTurns(context.memory, tenant, request.memory!, vector!) };
          })()
        : undefined;
      await Promise.all([rag, memory]);
      await reply({ kind: 'result', value: result });
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.status >= 500 && !signal.aborted) logger.warn({ err: error, jobId: job.jobId }, 'context retrieval failed');
      await reply({ kind: 'error', attempts: [], error: failure.toData() });
    }
  };
}
