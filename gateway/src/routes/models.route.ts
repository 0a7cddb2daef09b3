import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../routing/model-catalog.js';

/** GET /v1/models: every model AILB can serve, in OpenAI's list shape; `owned_by` is the deployment id. */
export function registerModelsRoute(app: FastifyInstance, catalog: ModelCatalog): void {
  app.get('/v1/models', async () => ({ object: 'list', data: await catalog.list() }));
}
