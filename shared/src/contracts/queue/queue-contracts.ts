import { chatJobV1 } from './chat-job-v1.js';
import { CHAT_JOB_VERSION, chatJobSchema, type ChatJob, type JobPriority } from './chat-job.js';
import { chatReplySchema, type ChatReply, type ReplyBody } from './chat-reply.js';
import type { QueueContract } from './queue-contract.js';

/** The payload and reply types of each queue, for the generic producers and consumers. */
export interface QueueTypes {
  chat: { job: ChatJob; reply: ChatReply; replyBody: ReplyBody };
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
};

/** How a job is placed in its queue. */
export interface EnqueueOptions {
  /** @defaultValue 'normal' */
  priority?: JobPriority;
}
