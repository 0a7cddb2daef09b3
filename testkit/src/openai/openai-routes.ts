import { runChat, type SimulatorContext } from '../chat-flow.js';
import { asNumber, asObject, firstString } from '../content-text.js';
import { deliver } from '../deliver.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, embedText, toBase64Float32 } from '../embedding-vector.js';
import type { Exchange } from '../exchange.js';
import { countWords } from '../words.js';
import { readOpenAIChatRequest } from './openai-chat-request.js';
import { openAIChatDialect } from './openai-chat-response.js';
import { openAIBadRequest, openAIFaultReply, openAIInvalidJson, openAIModelNotFound } from './openai-errors.js';

/** A fixed `created` so model lists are byte-for-byte stable between runs. */
const MODEL_CREATED_UNIX = 1_700_000_000;

/** `POST /v1/chat/completions`. */
export async function handleOpenAIChat(exchange: Exchange, context: SimulatorContext): Promise<void> {
  const body = await exchange.readBody();
  if (body.kind === 'invalid') return exchange.sendJson(openAIInvalidJson());
  const request = asObject(body.value);
  exchange.update({ model: firstString(request?.model), stream: request?.stream === true });
  const parsed = readOpenAIChatRequest(body.value);
  if ('error' in parsed) return exchange.sendJson(parsed.error);
  if (!context.models.includes(parsed.conversation.model)) return exchange.sendJson(openAIModelNotFound(parsed.conversation.model));
  await runChat(exchange, context, parsed.conversation, openAIChatDialect(parsed.includeUsage));
}

/** `GET /v1/models` (without `anthropic-version`). */
export function handleOpenAIModelList(exchange: Exchange, context: SimulatorContext): void {
  exchange.sendJson({ status: 200, body: { object: 'list', data: context.models.map(openAIModelObject) } });
}

/** `GET /v1/models/{model}`. */
export function handleOpenAIModel(exchange: Exchange, context: SimulatorContext, model: string): void {
  exchange.update({ model });
  if (!context.models.includes(model)) return exchange.sendJson(openAIModelNotFound(model));
  exchange.sendJson({ status: 200, body: openAIModelObject(model) });
}

function openAIModelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: MODEL_CREATED_UNIX, owned_by: 'ailb-simulator' };
}

/**
 * `POST /v1/embeddings`. The SDK asks for `encoding_format: "base64"` unless told otherwise and decodes
 * it itself, so both encodings are served.
 */
export async function handleOpenAIEmbeddings(exchange: Exchange, context: SimulatorContext): Promise<void> {
  const body = await exchange.readBody();
  if (body.kind === 'invalid') return exchange.sendJson(openAIInvalidJson());
  const request = asObject(body.value);
  const model = firstString(request?.model);
  exchange.update({ model });
  if (request === null || model === null) return exchange.sendJson(openAIBadRequest('you must provide a model parameter'));
  const inputs = readInputs(request.input);
  if (inputs === null) {
    return exchange.sendJson(openAIBadRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input'));
  }
  const dimensions = request.dimensions === undefined ? DEFAULT_EMBEDDING_DIMENSIONS : asNumber(request.dimensions);
  if (dimensions === null || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096) {
    return exchange.sendJson(openAIBadRequest('Invalid value for dimensions: must be an integer between 1 and 4096.', 'dimensions', 'invalid_value'));
  }
  const encoding = request.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    return exchange.sendJson(openAIBadRequest("Invalid value for 'encoding_format': must be 'float' or 'base64'.", 'encoding_format', 'invalid_value'));
  }
  if (!context.models.includes(model)) return exchange.sendJson(openAIModelNotFound(model));

  const promptTokens = inputs.reduce((total, input) => total + countWords(input), 0);
  const data = inputs.map((input, index) => {
    const vector = embedText(input, dimensions);
    return { object: 'embedding', index, embedding: encoding === 'base64' ? toBase64Float32(vector) : vector };
  });
  const response = { object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
  await deliver(exchange, {
    fault: context.script.take(model),
    latencyMs: context.latencyMs,
    tokensPerSecond: 0,
    headers: { 'x-request-id': `req_sim${exchange.record.id}` },
    errorReply: openAIFaultReply,
    answer: { kind: 'whole', contentType: 'application/json', body: JSON.stringify(response), tokens: 0 },
  });
}

/** `input` as a list of texts: a string, or a non-empty array of strings. Token arrays are not simulated. */
function readInputs(input: unknown): string[] | null {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  return null;
}
