import { openAIErrorBody } from '@ailb/shared/openai-chat';
import type { FastifyInstance } from 'fastify';
import type { ChatPipeline } from '../../chat/chat-pipeline.js';
import { registerErrorEnvelope } from '../../errors/error-envelope.js';
import { registerChatCompletionsRoute } from './chat-completions.route.js';
import { filesRoutes } from './files.route.js';
import { registerMemorySessionsRoutes } from './memory-sessions.route.js';
import { registerModelsRoute } from './models.route.js';
import { registerVectorStoreFilesRoutes } from './vector-store-files.route.js';
import { registerVectorStoresRoutes } from './vector-stores.route.js';

export interface OpenAIRoutesOptions {
  pipeline: ChatPipeline;
}

/**
 * The OpenAI wire format's route group, encapsulated: its codecs (`@ailb/shared/openai-chat`,
 * `@ailb/shared/openai-knowledge`) and its error envelope apply to its routes only, so another
 * format's group can answer in its own. Files, Vector Stores and memory sessions are run by the
 * embedder (`app.knowledge`).
 */
export async function openAIRoutes(app: FastifyInstance, { pipeline }: OpenAIRoutesOptions): Promise<void> {
  registerErrorEnvelope(app, openAIErrorBody);
  registerChatCompletionsRoute(app, pipeline);
  registerModelsRoute(app, app.catalog);
  // Its own scope: multipart parsing is registered for the Files routes only.
  await app.register(filesRoutes);
  registerVectorStoresRoutes(app);
  registerVectorStoreFilesRoutes(app);
  registerMemorySessionsRoutes(app);
}
