import { GatewayError, toGatewayError } from '@ailb/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { RouteMethods } from '../http/http-hardening.js';

/** Maps Fastify's own errors (body parsing, limits) onto the catalog. */
function fromFastifyError(error: FastifyError): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('request_too_large', `Request body is larger than the limit of this server.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', `Unsupported Content-Type; send application/json.`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('bad_request', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  // A compressed body that does not decompress (http-hardening.ts decodes Content-Encoding).
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    const encoding = (error as FastifyError & { ailbEncoding?: string }).ailbEncoding ?? 'the declared Content-Encoding';
    return new GatewayError('invalid_value', `The request body is not valid ${encoding} data (${error.message}).`);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError('invalid_value', error.message);
  }
  return undefined;
}

/** Any error as a catalog error; the text of unexpected ones is hidden (it can carry secrets). */
export function toCatalogError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return (typeof error === 'object' && error !== null && fromFastifyError(error as FastifyError)) || toGatewayError(error);
}

/**
 * Answers every error of `app` (and of the plugins it encapsulates) with `envelope`: a route group per
 * wire format registers its own, so each answers in its clients' error shape. Internal errors are logged
 * with their detail and answered with a generic message; Retry-After and the failing provider travel as
 * headers.
 */
export function registerErrorEnvelope(app: FastifyInstance, envelope: (error: GatewayError) => unknown): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = toCatalogError(error);
    if (failure.status >= 500) request.log.error({ err: error, code: failure.code }, 'request failed');
    if (failure.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000))));
    if (failure.provider) reply.header('x-ailb-provider', failure.provider);
    return reply.status(failure.status).send(envelope(failure));
  });
}

/**
 * Answers unknown URLs with 404 `not_found` in `envelope` (once per prefix: the root's is the app's),
 * and a known URL asked with a method it does not answer with 405 `method_not_allowed` and `Allow`.
 */
export function registerNotFound(app: FastifyInstance, envelope: (error: GatewayError) => unknown, routes: RouteMethods): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.allowed(path);
    if (allowed.length > 0) {
      const failure = new GatewayError('method_not_allowed', `Method ${request.method} is not allowed for ${path}; allowed: ${allowed.join(', ')}.`);
      return reply.status(failure.status).header('allow', allowed.join(', ')).send(envelope(failure));
    }
    const failure = new GatewayError('not_found', `Unknown request URL: ${request.method} ${path}.`);
    return reply.status(failure.status).send(envelope(failure));
  });
}
