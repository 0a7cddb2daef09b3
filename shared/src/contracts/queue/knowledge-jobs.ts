import { z } from 'zod';
import { contextRequestSchema, contextResultSchema } from '../knowledge/context-retrieval.js';
import { knowledgeOperationSchema } from '../knowledge/knowledge-operations.js';
import { tenantSchema } from '../knowledge/knowledge-records.js';
import { memoryTurnSchema } from '../knowledge/memory.js';
import { replyErrorSchema } from './chat-reply.js';

/*
 * The embedder's queues. `knowledge` and `context` are request/reply: a gateway waits for one answer.
 * `ingest` and `memory` are durable: nobody waits, the job must run even if every embedder is down when
 * it is enqueued (it waits in its queue) or the vector store is (the embedder puts it back for later).
 */

export const KNOWLEDGE_JOB_VERSION = 1 as const;

const envelope = {
  jobId: z.string().min(1),
  replyTo: z.string().min(1),
  deadlineAt: z.number().int(),
  /** Whose data the job reads or writes: part of every key and filter. */
  tenant: tenantSchema,
};

/** An operation on files, vector stores or memory sessions (the Files and Vector Stores API). */
export const knowledgeJobSchema = z.object({ version: z.literal(KNOWLEDGE_JOB_VERSION), ...envelope, operation: knowledgeOperationSchema });
export type KnowledgeJob = z.infer<typeof knowledgeJobSchema>;

/** Context for one chat request (RAG chunks, remembered turns). */
export const contextJobSchema = z.object({ version: z.literal(KNOWLEDGE_JOB_VERSION), ...envelope, request: contextRequestSchema });
export type ContextJob = z.infer<typeof contextJobSchema>;

/** Ingest one file into one vector store (chunk, embed, index); the store's file record says how. */
export const ingestJobSchema = z.object({ version: z.literal(KNOWLEDGE_JOB_VERSION), ...envelope, storeId: z.string().min(1), fileId: z.string().min(1) });
export type IngestJob = z.infer<typeof ingestJobSchema>;

/** Remember one completed turn of a session. */
export const memoryJobSchema = z.object({ version: z.literal(KNOWLEDGE_JOB_VERSION), ...envelope, sessionId: z.string().min(1), turn: memoryTurnSchema });
export type MemoryJob = z.infer<typeof memoryJobSchema>;

const errorReply = z.object({ kind: z.literal('error'), jobId: z.string(), seq: z.number().int(), attempts: z.array(z.unknown()), error: replyErrorSchema });

/** The one answer to a knowledge job: the operation's value (KnowledgeResults) or a catalog error. */
export const knowledgeReplySchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('result'), jobId: z.string(), seq: z.number().int(), value: z.unknown() }), errorReply]);
export type KnowledgeReply = z.infer<typeof knowledgeReplySchema>;

export const contextReplySchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('result'), jobId: z.string(), seq: z.number().int(), value: contextResultSchema }), errorReply]);
export type ContextReply = z.infer<typeof contextReplySchema>;

/** Durable jobs answer nobody; a refusal still has the shape every queue shares. */
export const noReplySchema = errorReply;
export type NoReply = z.infer<typeof noReplySchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type KnowledgeReplyBody = DistributiveOmit<KnowledgeReply, 'seq' | 'jobId'>;
export type ContextReplyBody = DistributiveOmit<ContextReply, 'seq' | 'jobId'>;
export type NoReplyBody = DistributiveOmit<NoReply, 'seq' | 'jobId'>;
