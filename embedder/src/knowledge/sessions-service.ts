import { GatewayError, type KnowledgeOperation, type KnowledgeResults } from '@ailb/shared';
import type { KnowledgeContext } from './knowledge-context.js';

type Op<Name extends KnowledgeOperation['op']> = Extract<KnowledgeOperation, { op: Name }>;

const sessionNotFound = (sessionId: string) => new GatewayError('not_found', `No memory session found with id '${sessionId}'.`, { param: 'session_id' });

/** Memory sessions: read a session's turns, delete them (turns and vectors). */
export const sessionsService = {
  async get(context: KnowledgeContext, tenant: string, operation: Op<'session.get'>): Promise<KnowledgeResults['session.get']> {
    const turns = await context.memory.turns(tenant, operation.sessionId);
    if (turns.length === 0) throw sessionNotFound(operation.sessionId);
    return { sessionId: operation.sessionId, turns: turns.map(({ id: _id, ...turn }) => turn) };
  },

  async delete(context: KnowledgeContext, tenant: string, operation: Op<'session.delete'>): Promise<KnowledgeResults['session.delete']> {
    const deletedTurns = await context.memory.deleteSession(tenant, operation.sessionId);
    if (deletedTurns === 0) throw sessionNotFound(operation.sessionId);
    return { sessionId: operation.sessionId, deletedTurns };
  },
};
