import { GatewayError, RetryLaterError, type IngestionError, type VectorStoreFile } from '@ailb/shared';
import type { Logger } from 'pino';
import { newRevision } from '../knowledge/ids.js';
import type { KnowledgeContext } from '../knowledge/knowledge-context.js';
import { isChromaUnavailable } from '../store/chroma-access.js';
import type { NewRecord } from '../store/chunk-store.js';
import { chunkDocument, indexedText } from './chunker.js';
import { documentText } from './document-text.js';
import { splitIntoPassages } from './passages.js';

/** How long an ingestion waits before trying again while Chroma is unreachable. */
const RETRY_WHEN_STORE_DOWN_MS = 5000;

class IngestionFailure extends Error {
  constructor(readonly failure: IngestionError) {
    super(failure.message);
  }
}

/**
 * Ingests one file into one vector store: reads its bytes, cuts chunks (the file's chunking) and their
 * passages, embeds them (as bulk work, behind queries), replaces the file's records in the store's
 * collection and marks the file `completed` — or `failed` with a `last_error`. Idempotent (a job run
 * twice, after a crash, writes the same records); a file removed or cancelled meanwhile is left alone.
 * Chroma being unreachable is not a failure of the file: the job goes back to its queue.
 */
export async function ingestFile(context: KnowledgeContext, tenant: string, storeId: string, fileId: string, logger: Logger, signal?: AbortSignal): Promise<void> {
  const { catalog, contents, chunks, model } = context;
  let record: VectorStoreFile | undefined;
  try {
    const store = await catalog.getStoreRecord(tenant, storeId);
    record = await catalog.getStoreFile(tenant, storeId, fileId);
    if (!store || !record || record.status !== 'in_progress') return;
    if (store.embeddingModel !== model.name) {
      throw new IngestionFailure({ code: 'server_error', message: `The vector store was built with the embedding model ${store.embeddingModel}; this embedder runs ${model.name}.` });
    }
    const file = await catalog.getFile(tenant, fileId);
    const bytes = file ? await contents.get(tenant, fileId) : undefined;
    if (!file || !bytes) throw new IngestionFailure({ code: 'invalid_file', message: 'The file was deleted before it could be ingested.' });
    let text: string;
    try {
      text = documentText(bytes, file.mediaType);
    } catch (error) {
      throw new IngestionFailure({ code: 'unsupported_file', message: (error as Error).message });
    }

    const source = { documentId: fileId, text };
    const fileChunks = chunkDocument(source, { maxTokens: record.chunking.maxChunkTokens, overlapTokens: record.chunking.overlapTokens });
    const passages = fileChunks.flatMap((chunk) => splitIntoPassages(source, chunk));
    const pending = [
      ...fileChunks.map((chunk) => ({ id: chunk.id, kind: 'chunk' as const, chunkId: chunk.id, text: chunk.text, context: chunk.context, embedText: indexedText(chunk) })),
      ...passages.map((passage) => ({ id: passage.id, kind: 'passage' as const, chunkId: passage.chunkId, text: passage.text, context: '', embedText: passage.text })),
    ];
    // Overlapping chunks repeat passages: each distinct text is embedded once.
    const distinct = [...new Set(pending.map((item) => item.embedText))];
    const vectors = distinct.length > 0 ? await model.embed(distinct, { priority: 'bulk', ...(signal ? { signal } : {}) }) : [];
    const vectorOf = new Map(distinct.map((item, index) => [item, vectors[index]!]));
    const dimensions = vectors[0]?.length;
    if (dimensions !== undefined && store.dimensions !== null && store.dimensions !== dimensions) {
      throw new IngestionFailure({ code: 'server_error', message: `The vector store holds ${store.dimensions}-dimension vectors; the model produced ${dimensions}.` });
    }
    if (dimensions !== undefined && store.dimensions === null) await catalog.putStore({ ...store, dimensions });

    // Cancelled or removed while embedding: write nothing.
    const current = await catalog.getStoreFile(tenant, storeId, fileId);
    if (!current || current.status !== 'in_progress') return;
    const records: NewRecord[] = pending.map(({ embedText, ...item }) => ({ ...item, vector: vectorOf.get(embedText)! }));
    await chunks.deleteFileChunks(storeId, fileId);
    await chunks.addFileRecords(tenant, storeId, { fileId, filename: file.filename, attributes: current.attributes }, records);
    const usageBytes = fileChunks.reduce((total, chunk) => total + Buffer.byteLength(chunk.text), 0);
    await catalog.putStoreFile(tenant, { ...current, status: 'completed', lastError: null, usageBytes });
    await catalog.bumpRevision(tenant, storeId, newRevision());
    // Removed while its records were written: take them out again.
    if (!(await catalog.getStoreFile(tenant, storeId, fileId))) await chunks.deleteFileChunks(storeId, fileId);
    logger.info({ tenant, storeId, fileId, chunks: fileChunks.length, passages: passages.length }, 'file ingested');
  } catch (error) {
    if (isChromaUnavailable(error)) throw new RetryLaterError('the vector store is unavailable', RETRY_WHEN_STORE_DOWN_MS);
    if (signal?.aborted) throw error;
    const failure: IngestionError =
      error instanceof IngestionFailure ? error.failure : { code: 'server_error', message: error instanceof GatewayError ? error.message : 'The file could not be ingested.' };
    if (!(error instanceof IngestionFailure)) logger.error({ err: error, tenant, storeId, fileId }, 'ingestion failed');
    if (record) await catalog.putStoreFile(tenant, { ...record, status: 'failed', lastError: failure });
  }
}
