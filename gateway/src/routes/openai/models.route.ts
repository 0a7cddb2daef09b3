import { GatewayError } from '@ailb/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModelCatalog } from '../../routing/model-catalog.js';

/** A model in OpenAI's shape. */
interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/**
 * GET /v1/models: every model AILB can serve to this caller, in OpenAI's list shape (`owned_by` is the
 * deployment id); GET /v1/models/{id}: one of them. A key limited to some models (`models`) sees only
 * those: another model is 404 `model_not_found`, as if it did not exist — the same answer an unknown
 * model gets, so a key cannot probe what the deployment serves beyond what it may use.
 */
export function registerModelsRoute(app: FastifyInstance, catalog: ModelCatalog): void {
  // `created` is when this gateway started: AILB does not know when a provider published a model.
  const created = Math.floor(Date.now() / 1000);
  const visible = async (request: FastifyRequest): Promise<ModelObject[]> => {
    const allowed = request.apiKey?.models;
    const models = (await catalog.list()).map((model): ModelObject => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy }));
    return allowed === undefined || allowed === null ? models : models.filter((model) => allowed.includes(model.id));
  };
  app.get('/v1/models', async (request) => ({ object: 'list', data: await visible(request) }));
  // A wildcard, not `:model`: qualified ids (`deployment/model`) contain a slash.
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const id = request.params['*'];
    const model = (await visible(request)).find((candidate) => candidate.id === id);
    if (!model) throw new GatewayError('model_not_found', `The model '${id}' does not exist or you do not have access to it.`, { param: 'model' });
    return model;
  });
}
