import type { IncomingHttpHeaders } from 'node:http';
import { anthropicError, anthropicUnauthorized } from './anthropic/anthropic-errors.js';
import { handleAnthropicMessages, handleAnthropicModel, handleAnthropicModelList } from './anthropic/anthropic-routes.js';
import type { SimulatorContext } from './chat-flow.js';
import type { Exchange, JsonReply } from './exchange.js';
import { handleOllamaChat, handleOllamaEmbed, handleOllamaTags, handleOllamaVersion } from './ollama/ollama-routes.js';
import { ollamaUnauthorized } from './ollama/ollama-errors.js';
import { openAIError, openAIUnauthorized } from './openai/openai-errors.js';
import { handleOpenAIChat, handleOpenAIEmbeddings, handleOpenAIModel, handleOpenAIModelList } from './openai/openai-routes.js';
import type { SimulatedApi } from './simulated-provider-types.js';

/** An API endpoint: which wire format it speaks, how it answers, and its 401. */
export interface ApiRoute {
  api: SimulatedApi;
  /** Health probes (`GET /`) answer without a key, as Ollama's does. */
  public: boolean;
  unauthorized: (presentedKey: string | null) => JsonReply;
  handle: (exchange: Exchange, context: SimulatorContext) => void | Promise<void>;
}

const MODEL_PATH = /^\/v1\/models\/(.+)$/;

/**
 * Picks the endpoint for a request. `/v1/models` is shared by OpenAI and Anthropic; the
 * `anthropic-version` header (which Anthropic clients always send) tells them apart.
 */
export function resolveRoute(method: string, path: string, headers: IncomingHttpHeaders): ApiRoute {
  const anthropicClient = headers['anthropic-version'] !== undefined;
  const openai = (handle: ApiRoute['handle']): ApiRoute => ({ api: 'openai', public: false, unauthorized: openAIUnauthorized, handle });
  const anthropic = (handle: ApiRoute['handle']): ApiRoute => ({ api: 'anthropic', public: false, unauthorized: anthropicUnauthorized, handle });
  const ollama = (handle: ApiRoute['handle'], isPublic = false): ApiRoute => ({ api: 'ollama', public: isPublic, unauthorized: ollamaUnauthorized, handle });

  const key = `${method} ${path}`;
  switch (key) {
    case 'POST /v1/chat/completions':
      return openai(handleOpenAIChat);
    case 'POST /v1/embeddings':
      return openai(handleOpenAIEmbeddings);
    case 'POST /v1/messages':
      return anthropic(handleAnthropicMessages);
    case 'GET /v1/models':
      return anthropicClient ? anthropic(handleAnthropicModelList) : openai(handleOpenAIModelList);
    case 'POST /api/chat':
      return ollama(handleOllamaChat);
    case 'GET /api/tags':
      return ollama(handleOllamaTags);
    case 'POST /api/embed':
      return ollama(handleOllamaEmbed);
    case 'GET /api/version':
      return ollama(handleOllamaVersion, true);
    case 'GET /':
    case 'HEAD /':
      return ollama((exchange) => exchange.sendText(200, 'text/plain; charset=utf-8', 'Ollama is running'), true);
  }
  const modelMatch = method === 'GET' ? MODEL_PATH.exec(path) : null;
  if (modelMatch) {
    const model = decodeURIComponent(modelMatch[1] ?? '');
    return anthropicClient
      ? anthropic((exchange, context) => handleAnthropicModel(exchange, context, model))
      : openai((exchange, context) => handleOpenAIModel(exchange, context, model));
  }
  if (path.startsWith('/api/')) {
    return ollama((exchange) => exchange.sendText(404, 'text/plain', '404 page not found'));
  }
  if (anthropicClient) {
    return anthropic((exchange) => exchange.sendJson(anthropicError(404, 'not_found_error', 'Not Found')));
  }
  return openai((exchange) => exchange.sendJson(openAIError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error')));
}

/** The key a request presents: `Authorization: Bearer <key>` (OpenAI, Ollama, new Anthropic SDKs) or `x-api-key`. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer) return bearer.trim();
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : null;
}
