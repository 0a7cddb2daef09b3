import {
  decodeCreateVectorStore,
  decodeListVectorStores,
  decodeSearchVectorStore,
  decodeUpdateVectorStore,
  decodeVectorStoreRequest,
  toSearchResultsPage,
  toVectorStore,
  toVectorStoreDeleted,
  toVectorStoreList,
} from '@ailb/shared/openai-knowledge';
import type { FastifyInstance } from 'fastify';

type StoreParams = { Params: { vector_store_id: string } };

/**
 * The Vector Stores API: create, list, retrieve, modify and delete stores, and search one. Each route
 * decodes with the OpenAI knowledge codec, runs the neutral operation in the embedder and encodes its
 * answer; the embedder's errors (404 for an unknown store) arrive as catalog errors.
 */
export function registerVectorStoresRoutes(app: FastifyInstance): void {
  app.post('/v1/vector_stores', async (request) => toVectorStore(await app.knowledge.run(request.tenant, decodeCreateVectorStore(request.body))));

  app.get('/v1/vector_stores', async (request) => toVectorStoreList(await app.knowledge.run(request.tenant, decodeListVectorStores(request.query))));

  app.get<StoreParams>('/v1/vector_stores/:vector_store_id', async (request) =>
    toVectorStore(await app.knowledge.run(request.tenant, decodeVectorStoreRequest('store.get', request.params.vector_store_id))),
  );

  app.post<StoreParams>('/v1/vector_stores/:vector_store_id', async (request) =>
    toVectorStore(await app.knowledge.run(request.tenant, decodeUpdateVectorStore(request.params.vector_store_id, request.body))),
  );

  app.delete<StoreParams>('/v1/vector_stores/:vector_store_id', async (request) =>
    toVectorStoreDeleted(await app.knowledge.run(request.tenant, decodeVectorStoreRequest('store.delete', request.params.vector_store_id))),
  );

  app.post<StoreParams>('/v1/vector_stores/:vector_store_id/search', async (request) =>
    toSearchResultsPage(await app.knowledge.run(request.tenant, decodeSearchVectorStore(request.params.vector_store_id, request.body))),
  );
}
