import { z } from 'zod';
import { memoryTurnSchema } from './memory.js';

/**
 * What a chat request asks of the embedder before it is planned: chunks of a vector store relevant to
 * its last user message (RAG), and the session's turns worth remembering (memory). Either part may be
 * absent. Answered within the request's retrieval deadline, or not at all (the request then goes on
 * without that context).
 */
export const contextRequestSchema = z.object({
  /** The text to match: the request's last user message. */
  query: z.string(),
  rag: z.object({ store: z.string().min(1), topK: z.number().int().min(1).max(50) }).optional(),
  memory: z
    .object({
      sessionId: z.string().min(1),
      /** Latest turns always included. */
      recentTurns: z.number().int().min(0),
      /** Token budget of all recalled turns together. */
      maxTokens: z.number().int().min(1),
    })
    .optional(),
});
export type ContextRequest = z.infer<typeof contextRequestSchema>;

/** A chunk chosen for the prompt. */
export const contextChunkSchema = z.object({ fileId: z.string(), filename: z.string(), score: z.number(), text: z.string() });
export type ContextChunk = z.infer<typeof contextChunkSchema>;

export const contextResultSchema = z.object({
  rag: z.object({ storeId: z.string(), chunks: z.array(contextChunkSchema) }).optional(),
  /** Turns to remember, oldest first: relevant earlier ones and the latest ones, within the budget. */
  memory: z.object({ turns: z.array(memoryTurnSchema) }).optional(),
});
export type ContextResult = z.infer<typeof contextResultSchema>;
