import { GatewayError, type ApiKeyRecord, type AppConfig, type KeyStore } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiKeys } from '../auth/api-keys.js';
import { presentedKey } from '../auth/key-secrets.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The deployment's API keys (config file ⊕ admin API), cached by secret hash. */
    apiKeys: ApiKeys;
  }
  interface FastifyRequest {
    /** Id of the API key the request was made with; undefined without one (no keys, or the master key). */
    keyId: string | undefined;
    /** The key the request was made with, for the checks that follow authentication. */
    apiKey: ApiKeyRecord | undefined;
  }
}

export interface AuthPluginOptions {
  /** Keys created through the admin API (Redis in split mode; the embedded default's file-backed memory). */
  store: KeyStore;
  auth: AppConfig['auth'];
}

const MISSING = "You didn't provide an API key. Provide it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY) or in an x-api-key header.";

/** The public model a request names, when its JSON body has one. */
function modelNamed(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const model = (body as { model?: unknown }).model;
  return typeof model === 'string' ? model : undefined;
}

const isOpsUrl = (url: string): boolean => url.startsWith('/api/') || url === '/metrics' || url.startsWith('/metrics?');

/**
 * Who may call. Once any API key exists (or a master key is set), every `/v1/*` request presents
 * one (`Authorization: Bearer` or `x-api-key`): missing, unknown, revoked or expired → 401
 * `invalid_api_key`; the request then carries the key's tenant and id (`request.tenant`,
 * `request.keyId`) for every stage after it — rate limits run later and match `key:`/`tenant:`
 * rules on them. The master key is accepted too (tenant `default`, every model). A key limited to
 * some models gets 403 `model_not_allowed` for another one, checked once the body is parsed. With
 * `AILB_PROTECT_OPS`, `/api/*` and `/metrics` need the master key. No store read per request: keys
 * are cached (see ApiKeys). Cross-cutting, so not encapsulated.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, { store, auth }) => {
    const keys = new ApiKeys({ store, changes: app.controlChanges, configKeys: auth?.keys ?? [], masterKey: auth?.masterKey, logger: app.log });
    await keys.start();
    app.decorate('apiKeys', keys);
    app.decorateRequest('keyId', undefined);
    app.decorateRequest('apiKey', undefined);
    app.addHook('onClose', async () => keys.close());
    const protectOps = auth?.protectOps === true;

    // Callback style: with no key configured this returns synchronously after two property reads.
    app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
      const url = request.url;
      if (url.startsWith('/v1/')) {
        if (!keys.required) return done();
        const identity = keys.identify(request.headers, MISSING);
        if (identity.caller === 'refused') return done(identity.error);
        if (identity.caller !== 'key') return done();
        const { record } = identity;
        request.keyId = record.id;
        request.apiKey = record;
        // The one place a request's tenant is bound (request-context.plugin.ts sets the default).
        request.tenant = record.tenant;
        // The key's prompt-scanning policy; null keeps the configured default.
        request.scanPolicy = record.scanPolicy;
        return done();
      }
      if (protectOps && isOpsUrl(url)) {
        const presented = presentedKey(request.headers);
        if (presented === undefined || !keys.isMasterKey(presented)) return done(new GatewayError('invalid_api_key', `${url.split('?')[0]} needs the master key (AILB_PROTECT_OPS is on): Authorization: Bearer <AILB_MASTER_KEY>.`));
      }
      done();
    });

    app.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
      const allowed = request.apiKey?.models;
      if (allowed === undefined || allowed === null) return done();
      const model = modelNamed(request.body);
      if (model === undefined || allowed.includes(model)) return done();
      done(new GatewayError('model_not_allowed', `The API key ${request.apiKey!.id} may not use the model "${model}"; it may use: ${allowed.join(', ')}.`, { param: 'model' }));
    });
  },
  { name: 'ailb-auth', dependencies: ['ailb-control-changes', 'ailb-request-context'] },
);
