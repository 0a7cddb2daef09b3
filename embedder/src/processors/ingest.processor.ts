import type { JobContext } from '@ailb/shared';
import type { Logger } from 'pino';
import type { KnowledgeContext } from '../knowledge/knowledge-context.js';
import { ingestFile } from '../rag/ingestion.js';

/** The `ingest` queue's processor: one file into one store (nobody waits for an answer). */
export function ingestProcessor(context: KnowledgeContext, logger: Logger) {
  return ({ job, signal }: JobContext<'ingest'>): Promise<void> => ingestFile(context, job.tenant, job.storeId, job.fileId, logger, signal);
}
