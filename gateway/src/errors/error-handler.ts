import { GatewayError, toGatewayError } from '@ailb/shared';
import { openAIErrorBody } from '@ailb/shared/openai-chat';
import type { FastifyError, FastifyInstance } from 'fastify';

/** Maps Fastify's own errors (body parsing, limits) onto the catalog. */
function fromFastifyError(error: FastifyError): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('request_too_large', `Request body is larger than the limit of this server.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', `Unsupported Content-Type; send application/json.`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'The request body is empty; expected a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_json', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new GatewayError('invalid_json', 'We could not parse the JSON body of your request. Send a valid JSON object.');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError('invalid_value', error.message);
  }
  return undefined;
}

/**
 * Every error leaves in OpenAI's envelope. Internal errors are logged with their detail and answered
 * with a generic message, because exception text can carry secrets or upstream internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = error instanceof GatewayError ? error : fromFastifyError(error) ?? toGatewayError(error);
    if (failure.status >= 500) request.log.error({ err: error, code: failure.code }, 'request failed');
    if (failure.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000))));
    if (failure.provider) reply.header('x-ailb-provider', failure.provider);
    return reply.status(failure.status).send(openAIErrorBody(failure));
  });
  app.setNotFoundHandler((request, reply) => {
    const failure = new GatewayError('not_found', `Unknown request URL: ${request.method} ${request.url.split('?')[0]}.`);
    return reply.status(failure.status).send(openAIErrorBody(failure));
  });
}
