import { decodeMemorySessionRequest, toMemorySession, toMemorySessionDeleted } from '@ailb/shared/openai-knowledge';
import type { FastifyInstance } from 'fastify';

type SessionParams = { Params: { session_id: string } };

/**
 * AILB's memory sessions: `GET /v1/memory/sessions/{id}` shows a session's remembered turns, oldest
 * first; `DELETE` erases its turns and their vectors. An unknown session is the embedder's 404.
 */
export function registerMemorySessionsRoutes(app: FastifyInstance): void {
  app.get<SessionParams>('/v1/memory/sessions/:session_id', async (request) =>
    toMemorySession(await app.knowledge.run(request.tenant, decodeMemorySessionRequest('session.get', request.params.session_id))),
  );

  app.delete<SessionParams>('/v1/memory/sessions/:session_id', async (request) =>
    toMemorySessionDeleted(await app.knowledge.run(request.tenant, decodeMemorySessionRequest('session.delete', request.params.session_id))),
  );
}
