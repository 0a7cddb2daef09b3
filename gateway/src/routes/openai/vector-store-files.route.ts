import {
  decodeCreateFileBatch,
  decodeCreateVectorStoreFile,
  decodeFileBatchRequest,
  decodeListVectorStoreFiles,
  decodeUpdateVectorStoreFile,
  decodeVectorStoreFileRequest,
  toFileBatch,
  toVectorStoreFile,
  toVectorStoreFileDeleted,
  toVectorStoreFileList,
} from '@ailb/shared/openai-knowledge';
import type { FastifyInstance } from 'fastify';

type StoreParams = { Params: { vector_store_id: string } };
type StoreFileParams = { Params: { vector_store_id: string; file_id: string } };
type BatchParams = { Params: { vector_store_id: string; batch_id: string } };

/**
 * The files of a vector store and their batches: adding a file answers at once with status
 * `in_progress` while the embedder ingests it; listing (filtered by status), retrieving, updating
 * attributes and removing a file (with its chunks); creating, retrieving and cancelling a batch, and
 * listing its files.
 */
export function registerVectorStoreFilesRoutes(app: FastifyInstance): void {
  app.post<StoreParams>('/v1/vector_stores/:vector_store_id/files', async (request) =>
    toVectorStoreFile(await app.knowledge.run(request.tenant, decodeCreateVectorStoreFile(request.params.vector_store_id, request.body))),
  );

  app.get<StoreParams>('/v1/vector_stores/:vector_store_id/files', async (request) =>
    toVectorStoreFileList(await app.knowledge.run(request.tenant, decodeListVectorStoreFiles(request.params.vector_store_id, request.query))),
  );

  app.get<StoreFileParams>('/v1/vector_stores/:vector_store_id/files/:file_id', async (request) =>
    toVectorStoreFile(await app.knowledge.run(request.tenant, decodeVectorStoreFileRequest('store-file.get', request.params.vector_store_id, request.params.file_id))),
  );

  app.post<StoreFileParams>('/v1/vector_stores/:vector_store_id/files/:file_id', async (request) =>
    toVectorStoreFile(await app.knowledge.run(request.tenant, decodeUpdateVectorStoreFile(request.params.vector_store_id, request.params.file_id, request.body))),
  );

  app.delete<StoreFileParams>('/v1/vector_stores/:vector_store_id/files/:file_id', async (request) =>
    toVectorStoreFileDeleted(await app.knowledge.run(request.tenant, decodeVectorStoreFileRequest('store-file.delete', request.params.vector_store_id, request.params.file_id))),
  );

  app.post<StoreParams>('/v1/vector_stores/:vector_store_id/file_batches', async (request) =>
    toFileBatch(await app.knowledge.run(request.tenant, decodeCreateFileBatch(request.params.vector_store_id, request.body))),
  );

  app.get<BatchParams>('/v1/vector_stores/:vector_store_id/file_batches/:batch_id', async (request) =>
    toFileBatch(await app.knowledge.run(request.tenant, decodeFileBatchRequest('batch.get', request.params.vector_store_id, request.params.batch_id))),
  );

  // The cancel endpoint takes no body; whatever a client sends with it is ignored.
  app.post<BatchParams>('/v1/vector_stores/:vector_store_id/file_batches/:batch_id/cancel', async (request) =>
    toFileBatch(await app.knowledge.run(request.tenant, decodeFileBatchRequest('batch.cancel', request.params.vector_store_id, request.params.batch_id))),
  );

  app.get<BatchParams>('/v1/vector_stores/:vector_store_id/file_batches/:batch_id/files', async (request) =>
    toVectorStoreFileList(await app.knowledge.run(request.tenant, decodeListVectorStoreFiles(request.params.vector_store_id, request.query, request.params.batch_id))),
  );
}
