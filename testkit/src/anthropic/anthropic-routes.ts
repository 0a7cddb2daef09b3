import { runChat, type SimulatorContext } from '../chat-flow.js';
import { asObject, firstString } from '../content-text.js';
import type { Exchange } from '../exchange.js';
import { anthropicBadRequest, anthropicModelNotFound } from './anthropic-errors.js';
import { readAnthropicMessagesRequest } from './anthropic-messages-request.js';
import { anthropicMessagesDialect } from './anthropic-messages-response.js';

/** A fixed date so model lists are stable between runs. */
const MODEL_CREATED_AT = '2025-01-01T00:00:00Z';

/** `POST /v1/messages`. */
export async function handleAnthropicMessages(exchange: Exchange, context: SimulatorContext): Promise<void> {
  const body = await exchange.readBody();
  if (body.kind === 'invalid') return exchange.sendJson(anthropicBadRequest('There was an issue with the format of your request: invalid JSON'));
  const request = asObject(body.value);
  exchange.update({ model: firstString(request?.model), stream: request?.stream === true });
  const conversation = readAnthropicMessagesRequest(body.value);
  if ('error' in conversation) return exchange.sendJson(conversation.error);
  if (!context.models.includes(conversation.model)) return exchange.sendJson(anthropicModelNotFound(conversation.model));
  await runChat(exchange, context, conversation, anthropicMessagesDialect);
}

/** `GET /v1/models` with an `anthropic-version` header. */
export function handleAnthropicModelList(exchange: Exchange, context: SimulatorContext): void {
  exchange.sendJson({
    status: 200,
    body: {
      data: context.models.map(anthropicModelObject),
      has_more: false,
      first_id: context.models[0] ?? null,
      last_id: context.models[context.models.length - 1] ?? null,
    },
  });
}

/** `GET /v1/models/{model}` with an `anthropic-version` header. */
export function handleAnthropicModel(exchange: Exchange, context: SimulatorContext, model: string): void {
  exchange.update({ model });
  if (!context.models.includes(model)) return exchange.sendJson(anthropicModelNotFound(model));
  exchange.sendJson({ status: 200, body: anthropicModelObject(model) });
}

function anthropicModelObject(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: displayName(id), created_at: MODEL_CREATED_AT };
}

/** `sim-small` → `Sim Small`, the way Anthropic titles its models. */
function displayName(id: string): string {
  return id
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}
