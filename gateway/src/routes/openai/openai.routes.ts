import { openAIErrorBody } from '@ailb/shared/openai-chat';
import type { FastifyInstance } from 'fastify';
import type { ChatPipeline } from '../../chat/chat-pipeline.js';
import { registerErrorEnvelope } from '../../errors/error-envelope.js';
import { registerChatCompletionsRoute } from './chat-completions.route.js';
import { registerModelsRoute } from './models.route.js';

export interface OpenAIRoutesOptions {
  pipeline: ChatPipeline;
}

/**
 * The OpenAI wire format's route group, encapsulated: its codec (`@ailb/shared/openai-chat`) and its
 * error envelope apply to its routes only, so another format's group can answer in its own.
 */
export async function openAIRoutes(app: FastifyInstance, { pipeline }: OpenAIRoutesOptions): Promise<void> {
  registerErrorEnvelope(app, openAIErrorBody);
  registerChatCompletionsRoute(app, pipeline);
  registerModelsRoute(app, app.catalog);
}
