import type { FastifyInstance } from 'fastify';
import type { ModelCatalog } from '../../routing/model-catalog.js';

/** GET /v1/models: every model AILB can serve, in OpenAI's list shape; `owned_by` is the deployment id. */
export function registerModelsRoute(app: FastifyInstance, catalog: ModelCatalog): void {
  // `created` is when this gateway started: AILB does not know when a provider published a model.
  const created = Math.floor(Date.now() / 1000);
  app.get('/v1/models', async () => ({
    object: 'list',
    data: (await catalog.list()).map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })),
  }));
}
