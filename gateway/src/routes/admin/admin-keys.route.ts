import { apiKeyView, createApiKeySchema, GatewayError, updateApiKeySchema } from '@ailb/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { presentedKey } from '../../auth/key-secrets.js';

/** The request body as `schema` reads it, or 400 naming the first wrong field. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  const code = issue.code === 'unrecognized_keys' ? 'unknown_parameter' : issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : 'invalid_value';
  throw new GatewayError(code, path ? `${path}: ${issue.message}` : issue.message, { param: path || null });
}

const DISABLED = 'The admin API is off. Set AILB_MASTER_KEY (at least 16 printable characters, a random secret) on the gateway to enable it, then call it with Authorization: Bearer <AILB_MASTER_KEY>.';

/** Makes every route of the (encapsulated) plugin `app` need the master key, as the whole admin API does. */
export function requireMasterKey(app: FastifyInstance): void {
  const keys = app.apiKeys;
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    if (!keys.adminEnabled) return done(new GatewayError('not_found', DISABLED));
    const presented = presentedKey(request.headers);
    if (presented === undefined || !keys.isMasterKey(presented)) return done(new GatewayError('invalid_api_key', 'The admin API needs the master key: Authorization: Bearer <AILB_MASTER_KEY>.'));
    done();
  });
}

/**
 * The admin API of API keys: create (the secret is shown in that answer only), list, get, update,
 * revoke (DELETE) and rotate. Every call needs the master key; without one configured, `/admin/*`
 * answers 404 saying how to enable it.
 */
export async function adminKeysRoutes(app: FastifyInstance): Promise<void> {
  const keys = app.apiKeys;
  requireMasterKey(app);

  app.post('/admin/keys', async (request, reply) => {
    const { record, secret } = await keys.create(parseBody(createApiKeySchema, request.body));
    request.log.info({ keyId: record.id, tenant: record.tenant }, 'API key created');
    return reply.status(201).send({ ...apiKeyView(record), key: secret });
  });

  app.get('/admin/keys', async () => ({ object: 'list', data: (await keys.list()).map((record) => apiKeyView(record)) }));

  app.get<{ Params: { id: string } }>('/admin/keys/:id', async (request) => {
    const record = await keys.get(request.params.id);
    if (record === undefined) throw new GatewayError('not_found', `No API key with id "${request.params.id}".`, { param: 'id' });
    return apiKeyView(record);
  });

  app.patch<{ Params: { id: string } }>('/admin/keys/:id', async (request) => {
    const record = await keys.update(request.params.id, parseBody(updateApiKeySchema, request.body));
    request.log.info({ keyId: record.id }, 'API key updated');
    return apiKeyView(record);
  });

  app.delete<{ Params: { id: string } }>('/admin/keys/:id', async (request) => {
    const record = await keys.revoke(request.params.id);
    request.log.info({ keyId: record.id }, 'API key revoked');
    return { ...apiKeyView(record), deleted: true };
  });

  app.post<{ Params: { id: string } }>('/admin/keys/:id/rotate', async (request) => {
    const { record, secret } = await keys.rotate(request.params.id);
    request.log.info({ keyId: record.id }, 'API key rotated');
    return { ...apiKeyView(record), key: secret };
  });
}
