import { chatJobV1 } from './chat-job-v1.js';
import { CHAT_JOB_VERSION, chatJobSchema, type ChatJob, type JobPriority } from './chat-job.js';
import { chatReplySchema, type ChatReply, type ReplyBody } from './chat-reply.js';
import {
  contextJobSchema,
  contextReplySchema,
  ingestJobSchema,
  KNOWLEDGE_JOB_VERSION,
  knowledgeJobSchema,
  knowledgeReplySchema,
  memoryJobSchema,
  noReplySchema,
  type ContextJob,
  type ContextReply,
  type ContextReplyBody,
  type IngestJob,
  type KnowledgeJob,
  type KnowledgeReply,
  type KnowledgeReplyBody,
  type MemoryJob,
  type NoReply,
  type NoReplyBody,
} from './knowledge-jobs.js';
import type { QueueContract } from './queue-contract.js';

/** The payload and reply types of each queue, for the generic producers and consumers. */
export interface QueueTypes {
  chat: { job: ChatJob; reply: ChatReply; replyBody: ReplyBody };
  knowledge: { job: KnowledgeJob; reply: KnowledgeReply; replyBody: KnowledgeReplyBody };
  context: { job: ContextJob; reply: ContextReply; replyBody: ContextReplyBody };
  ingest: { job: IngestJob; reply: NoReply; replyBody: NoReplyBody };
  memory: { job: MemoryJob; reply: NoReply; replyBody: NoReplyBody };
}
export type QueueName = keyof QueueTypes;
export type JobOf<Q extends QueueName> = QueueTypes[Q]['job'];
export type ReplyOf<Q extends QueueName> = QueueTypes[Q]['reply'];
export type ReplyBodyOf<Q extends QueueName> = QueueTypes[Q]['replyBody'];

/**
 * Every queue AILB has: name → payload schema, reply schema, version (and how it reads the version
 * before). One generic producer and one generic consumer per transport drive them all; each queue has
 * one processor in the service that consumes it.
 */
export const queueContracts: { readonly [Q in QueueName]: QueueContract<JobOf<Q>, ReplyBodyOf<Q>> } = {
  chat: { name: 'chat', version: CHAT_JOB_VERSION, payload: chatJobSchema, reply: chatReplySchema, previous: chatJobV1 },
  knowledge: { name: 'knowledge', version: KNOWLEDGE_JOB_VERSION, payload: knowledgeJobSchema, reply: knowledgeReplySchema },
  context: { name: 'context', version: KNOWLEDGE_JOB_VERSION, payload: contextJobSchema, reply: contextReplySchema },
  ingest: { name: 'ingest', version: KNOWLEDGE_JOB_VERSION, payload: ingestJobSchema, reply: noReplySchema, durable: true },
  memory: { name: 'memory', version: KNOWLEDGE_JOB_VERSION, payload: memoryJobSchema, reply: noReplySchema, durable: true },
};

/** How a job is placed in its queue. */
export interface EnqueueOptions {
  /** @defaultValue 'normal' */
  priority?: JobPriority;
  /**
   * A lane of the queue, taken only by consumers of that lane (a worker version, for blue/green
   * routing); undefined: the plain queue. @defaultValue undefined
   */
  lane?: string;
}

/** Where a job of a lane goes: `chat@v2` for lane `v2` of `chat`; the queue's own name without a lane. */
export function laneQueueName(name: string, lane?: string): string {
  return lane === undefined ? name : `${name}@${lane}`;
}
