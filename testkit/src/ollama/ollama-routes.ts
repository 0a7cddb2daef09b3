import { createHash } from 'node:crypto';
import { runChat, type SimulatorContext } from '../chat-flow.js';
import { asNumber, asObject, firstString } from '../content-text.js';
import { deliver } from '../deliver.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, embedText } from '../embedding-vector.js';
import type { Exchange } from '../exchange.js';
import { normalizeModelName } from '../fault-script.js';
import { countWords } from '../words.js';
import { ollamaChatDialect, ollamaDurations, readOllamaChatRequest } from './ollama-chat.js';
import { ollamaBadRequest, ollamaFaultReply, ollamaModelNotFound } from './ollama-errors.js';

/** A fixed date so `/api/tags` is stable between runs. */
const MODIFIED_AT = '2025-01-01T00:00:00Z';

/** Ollama resolves `name` and `name:latest` to the same model. */
function servesModel(context: SimulatorContext, model: string): boolean {
  const wanted = normalizeModelName(model);
  return context.models.some((served) => normalizeModelName(served) === wanted);
}

/** `POST /api/chat`. */
export async function handleOllamaChat(exchange: Exchange, context: SimulatorContext): Promise<void> {
  const body = await exchange.readBody();
  if (body.kind === 'invalid') return exchange.sendJson(ollamaBadRequest('invalid character in request body: not valid JSON'));
  const request = asObject(body.value);
  exchange.update({ model: firstString(request?.model), stream: request?.stream !== false });
  const conversation = readOllamaChatRequest(body.value);
  if ('error' in conversation) return exchange.sendJson(conversation.error);
  if (!servesModel(context, conversation.model)) return exchange.sendJson(ollamaModelNotFound(conversation.model));
  await runChat(exchange, context, conversation, ollamaChatDialect);
}

/** `GET /api/tags`: the configured models, named exactly as configured. */
export function handleOllamaTags(exchange: Exchange, context: SimulatorContext): void {
  const models = context.models.map((name) => ({
    name,
    model: name,
    modified_at: MODIFIED_AT,
    size: 1_000_000_000,
    digest: createHash('sha256').update(name).digest('hex'),
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'sim',
      families: ['sim'],
      parameter_size: '1B',
      quantization_level: 'Q4_0',
    },
  }));
  exchange.sendJson({ status: 200, body: { models } });
}

/** `POST /api/embed` (`input`: a string or an array of strings; `dimensions` honoured). */
export async function handleOllamaEmbed(exchange: Exchange, context: SimulatorContext): Promise<void> {
  const body = await exchange.readBody();
  if (body.kind === 'invalid') return exchange.sendJson(ollamaBadRequest('invalid character in request body: not valid JSON'));
  const request = asObject(body.value);
  const model = firstString(request?.model);
  exchange.update({ model });
  if (request === null || model === null) return exchange.sendJson(ollamaBadRequest('model is required'));
  const input = request.input;
  const inputs = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((item) => typeof item === 'string') ? (input as string[]) : null;
  if (inputs === null) return exchange.sendJson(ollamaBadRequest('invalid input type'));
  const dimensions = request.dimensions === undefined ? DEFAULT_EMBEDDING_DIMENSIONS : asNumber(request.dimensions);
  if (dimensions === null || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096) {
    return exchange.sendJson(ollamaBadRequest('dimensions must be a positive integer'));
  }
  if (!servesModel(context, model)) return exchange.sendJson(ollamaModelNotFound(model));

  const promptTokens = inputs.reduce((total, text) => total + countWords(text), 0);
  const { total_duration, load_duration } = ollamaDurations(promptTokens, 0);
  const response = {
    model,
    embeddings: inputs.map((text) => embedText(text, dimensions)),
    total_duration,
    load_duration,
    prompt_eval_count: promptTokens,
  };
  await deliver(exchange, {
    fault: context.script.take(model),
    latencyMs: context.latencyMs,
    tokensPerSecond: 0,
    headers: {},
    errorReply: ollamaFaultReply,
    answer: { kind: 'whole', contentType: 'application/json; charset=utf-8', body: JSON.stringify(response), tokens: 0 },
  });
}

/** `GET /api/version`, which Ollama clients use as a liveness probe. */
export function handleOllamaVersion(exchange: Exchange): void {
  exchange.sendJson({ status: 200, body: { version: '0.12.0' } });
}
