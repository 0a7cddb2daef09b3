import { z } from 'zod';
import type { KnowledgeResults } from '../../contracts/knowledge/knowledge-results.js';
import type { MemoryTurn } from '../../contracts/knowledge/memory.js';

/*
 * AILB's own memory-session endpoints (`/v1/memory/sessions/{id}`), in the style of OpenAI's objects:
 * an `object` tag, snake_case fields, times in epoch seconds, usage named as in chat completions.
 */

const integer = z.number().int();

/** One remembered turn, as `GET /v1/memory/sessions/{id}` shows it. */
export const memoryTurnResponseSchema = z.strictObject({
  user: z.string(),
  assistant: z.string(),
  model: z.string(),
  provider: z.string(),
  usage: z.strictObject({ prompt_tokens: integer, completion_tokens: integer, total_tokens: integer }).nullable(),
  created_at: integer,
});

/** `memory.session`: a session's turns, oldest first. */
export const memorySessionSchema = z.strictObject({ object: z.literal('memory.session'), id: z.string(), turns: z.array(memoryTurnResponseSchema) });
export type MemorySessionObject = z.infer<typeof memorySessionSchema>;

/** `memory.session.deleted`: the answer of `DELETE /v1/memory/sessions/{id}`. */
export const memorySessionDeletedSchema = z.strictObject({ id: z.string(), object: z.literal('memory.session.deleted'), deleted: z.literal(true) });
export type MemorySessionDeletedObject = z.infer<typeof memorySessionDeletedSchema>;

function toTurn(turn: MemoryTurn): MemorySessionObject['turns'][number] {
  return {
    user: turn.user,
    assistant: turn.assistant,
    model: turn.model,
    provider: turn.provider,
    usage: turn.usage === null ? null : { prompt_tokens: turn.usage.inputTokens, completion_tokens: turn.usage.outputTokens, total_tokens: turn.usage.inputTokens + turn.usage.outputTokens },
    // Turns are timed in milliseconds; every public object here speaks seconds.
    created_at: Math.floor(turn.createdAt / 1000),
  };
}

/** The session's turns, oldest first whatever order they were read in. */
export function toMemorySession(session: KnowledgeResults['session.get']): MemorySessionObject {
  const turns = [...session.turns].sort((left, right) => left.createdAt - right.createdAt);
  return { object: 'memory.session', id: session.sessionId, turns: turns.map(toTurn) };
}

export function toMemorySessionDeleted(deleted: KnowledgeResults['session.delete']): MemorySessionDeletedObject {
  return { id: deleted.sessionId, object: 'memory.session.deleted', deleted: true };
}
