import { toGatewayError, type JobContext, type KnowledgeOperation } from '@ailb/shared';
import type { Logger } from 'pino';
import { filesService } from '../knowledge/files-service.js';
import type { KnowledgeContext } from '../knowledge/knowledge-context.js';
import { sessionsService } from '../knowledge/sessions-service.js';
import { storeFilesService } from '../knowledge/store-files-service.js';
import { storesService } from '../knowledge/stores-service.js';

/** Runs one operation; the switch is exhaustive, so a new operation cannot be left unhandled. */
function run(context: KnowledgeContext, tenant: string, operation: KnowledgeOperation): Promise<unknown> {
  switch (operation.op) {
    case 'file.create':
      return filesService.create(context, tenant, operation);
    case 'file.list':
      return filesService.list(context, tenant, operation);
    case 'file.get':
      return filesService.get(context, tenant, operation);
    case 'file.content':
      return filesService.content(context, tenant, operation);
    case 'file.delete':
      return filesService.delete(context, tenant, operation);
    case 'store.create':
      return storesService.create(context, tenant, operation);
    case 'store.list':
      return storesService.list(context, tenant, operation);
    case 'store.get':
      return storesService.get(context, tenant, operation);
    case 'store.update':
      return storesService.update(context, tenant, operation);
    case 'store.delete':
      return storesService.delete(context, tenant, operation);
    case 'store.search':
      return storesService.search(context, tenant, operation);
    case 'store-file.create':
      return storeFilesService.create(context, tenant, operation);
    case 'store-file.list':
      return storeFilesService.list(context, tenant, operation);
    case 'store-file.get':
      return storeFilesService.get(context, tenant, operation);
    case 'store-file.update':
      return storeFilesService.update(context, tenant, operation);
    case 'store-file.delete':
      return storeFilesService.delete(context, tenant, operation);
    case 'batch.create':
      return storeFilesService.createBatch(context, tenant, operation);
    case 'batch.get':
      return storeFilesService.getBatch(context, tenant, operation);
    case 'batch.cancel':
      return storeFilesService.cancelBatch(context, tenant, operation);
    case 'session.get':
      return sessionsService.get(context, tenant, operation);
    case 'session.delete':
      return sessionsService.delete(context, tenant, operation);
  }
}

/** The `knowledge` queue's processor: one operation, one answer (its value, or its catalog error). */
export function knowledgeProcessor(context: KnowledgeContext, logger: Logger) {
  return async ({ job, reply }: JobContext<'knowledge'>): Promise<void> => {
    // Someone uses knowledge bases: load the model now, so the first search or chat with RAG that
    // follows does not spend its retrieval deadline loading it.
    context.model.load().catch((error: unknown) => logger.error({ err: error }, 'the embedding model could not load'));
    try {
      await reply({ kind: 'result', value: await run(context, job.tenant, job.operation) });
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.status >= 500) logger.error({ err: error, op: job.operation.op, jobId: job.jobId }, 'knowledge operation failed');
      await reply({ kind: 'error', attempts: [], error: failure.toData() });
    }
  };
}
