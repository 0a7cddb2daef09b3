import { z } from 'zod';
import { ailbExtensionsSchema, chatRequestBodySchema, decodeValidatedBody } from '../../codecs/openai-chat/index.js';
import type { ChatResult } from '../spec/chat-result.js';
import type { StreamPart } from '../spec/stream-part.js';
import type { UnifiedFinishReason } from '../spec/finish-reason.js';
import type { Usage } from '../spec/usage.js';
import { CHAT_JOB_VERSION, jobPrioritySchema, routingPlanSchema, type ChatJob } from './chat-job.js';
import { attemptRecordSchema, replyErrorSchema, servedBySchema, type ReplyBody } from './chat-reply.js';
import type { PreviousVersion } from './queue-contract.js';

/*
 * Version 1 of the chat queue, frozen: jobs carried the client's validated OpenAI body, replies an
 * OpenAI-shaped result and stream parts. Kept so workers of this release serve the jobs gateways of
 * the previous release still enqueue during a rolling deploy, and answer them in words those gateways
 * read. Nothing here may change; it is removed when version 3 appears.
 */

/** A version-1 chat job. */
export const chatJobV1Schema = z.object({
  version: z.literal(1),
  jobId: z.string().min(1),
  requestId: z.string().min(1),
  replyTo: z.string().min(1),
  deadlineAt: z.number().int(),
  enqueuedAt: z.number().int(),
  stream: z.boolean(),
  priority: jobPrioritySchema,
  request: chatRequestBodySchema,
  extensions: ailbExtensionsSchema,
  plan: routingPlanSchema,
});
export type ChatJobV1 = z.infer<typeof chatJobV1Schema>;

const finishReasonV1Schema = z.object({ unified: z.enum(['stop', 'length', 'tool_calls', 'content_filter']), raw: z.string().nullable() });
const usageV1Schema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  cachedPromptTokens: z.number().int().nonnegative().optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});
const streamPartV1Schema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('response-metadata'), id: z.string().optional(), model: z.string() }),
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({ type: z.literal('tool-call-start'), index: z.number().int().nonnegative(), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool-call-delta'), index: z.number().int().nonnegative(), argumentsDelta: z.string() }),
  z.object({ type: z.literal('finish'), finishReason: finishReasonV1Schema, usage: usageV1Schema.nullable() }),
]);
type StreamPartV1 = z.infer<typeof streamPartV1Schema>;
const chatResultV1Schema = z.object({
  id: z.string().optional(),
  model: z.string(),
  content: z.string().nullable(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
  finishReason: finishReasonV1Schema,
  usage: usageV1Schema.nullable(),
});

/** A version-1 reply, as gateways of the previous release read them. */
export const chatReplyV1Schema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), jobId: z.string(), seq: z.number().int(), servedBy: servedBySchema, attempts: z.array(attemptRecordSchema), result: chatResultV1Schema }),
  z.object({ kind: z.literal('start'), jobId: z.string(), seq: z.number().int(), servedBy: servedBySchema, attempts: z.array(attemptRecordSchema) }),
  z.object({ kind: z.literal('parts'), jobId: z.string(), seq: z.number().int(), parts: z.array(streamPartV1Schema).min(1) }),
  z.object({ kind: z.literal('end'), jobId: z.string(), seq: z.number().int() }),
  z.object({ kind: z.literal('error'), jobId: z.string(), seq: z.number().int(), attempts: z.array(attemptRecordSchema), error: replyErrorSchema }),
]);
type ReplyBodyV1 = DistributiveOmit<z.infer<typeof chatReplyV1Schema>, 'jobId' | 'seq'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Version 1 said finish reasons in OpenAI's words. Deliberately not the OpenAI codec's table: this
 * one is frozen with the version-1 wire format, the codec's may change with OpenAI.
 */
const FINISH_V1: Readonly<Record<UnifiedFinishReason, z.infer<typeof finishReasonV1Schema>['unified']>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
};

function usageV1(usage: Usage | null): z.infer<typeof usageV1Schema> | null {
  if (!usage) return null;
  const v1: z.infer<typeof usageV1Schema> = { promptTokens: usage.inputTokens, completionTokens: usage.outputTokens, totalTokens: usage.totalTokens };
  if (usage.cachedInputTokens !== undefined) v1.cachedPromptTokens = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) v1.reasoningTokens = usage.reasoningTokens;
  return v1;
}

function resultV1(result: ChatResult): z.infer<typeof chatResultV1Schema> {
  let content: string | null = null;
  const toolCalls: z.infer<typeof chatResultV1Schema>['toolCalls'] = [];
  for (const part of result.content) {
    if (part.type === 'text') content = (content ?? '') + part.text;
    else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
  }
  return {
    ...(result.response.id === undefined ? {} : { id: result.response.id }),
    model: result.response.modelId,
    content,
    toolCalls,
    finishReason: { unified: FINISH_V1[result.finishReason.unified], raw: result.finishReason.raw },
    usage: usageV1(result.usage),
  };
}

/** Version-2 replies of one job in version-1 words; numbers tool calls as version 1 did. */
function repliesV1(): (reply: ReplyBody) => ReplyBodyV1[] {
  const toolIndexes = new Map<string, number>();
  const partV1 = (part: StreamPart): StreamPartV1[] => {
    switch (part.type) {
      case 'response-metadata':
        return [{ type: 'response-metadata', ...(part.id === undefined ? {} : { id: part.id }), model: part.modelId }];
      case 'text-delta':
        return part.delta === '' ? [] : [{ type: 'text-delta', delta: part.delta }];
      case 'tool-input-start':
        toolIndexes.set(part.id, toolIndexes.size);
        return [{ type: 'tool-call-start', index: toolIndexes.get(part.id)!, id: part.id, name: part.toolName }];
      case 'tool-input-delta':
        return part.delta === '' ? [] : [{ type: 'tool-call-delta', index: toolIndexes.get(part.id) ?? 0, argumentsDelta: part.delta }];
      case 'tool-call': {
        if (toolIndexes.has(part.toolCallId)) return [];
        toolIndexes.set(part.toolCallId, toolIndexes.size);
        const index = toolIndexes.get(part.toolCallId)!;
        return [{ type: 'tool-call-start', index, id: part.toolCallId, name: part.toolName }, { type: 'tool-call-delta', index, argumentsDelta: part.input }];
      }
      case 'finish':
        return [{ type: 'finish', finishReason: { unified: FINISH_V1[part.finishReason.unified], raw: part.finishReason.raw }, usage: usageV1(part.usage) }];
      default:
        return [];
    }
  };
  return (reply) => {
    if (reply.kind === 'error') return [reply];
    if (reply.kind === 'result') return [{ kind: 'result', servedBy: reply.servedBy, attempts: reply.attempts, result: resultV1(reply.result) }];
    const messages: ReplyBodyV1[] = [];
    if (reply.start) messages.push({ kind: 'start', servedBy: reply.start.servedBy, attempts: reply.start.attempts });
    const failure = reply.parts.find((part) => part.type === 'error');
    const parts = reply.parts.flatMap(partV1);
    if (parts.length > 0) messages.push({ kind: 'parts', parts });
    if (failure?.type === 'error') messages.push({ kind: 'error', attempts: [], error: { ...failure.error, code: replyErrorSchema.shape.code.safeParse(failure.error.code).data ?? 'internal_error' } });
    else if (reply.end) messages.push({ kind: 'end' });
    return messages;
  };
}

/** How the version-2 chat queue reads version-1 jobs. */
export const chatJobV1: PreviousVersion<ChatJob, ReplyBody> = {
  version: 1,
  payload: chatJobV1Schema,
  upgrade(job: unknown): ChatJob {
    const { request, extensions: _unused, version: _one, ...rest } = job as ChatJobV1;
    return { ...rest, version: CHAT_JOB_VERSION, call: decodeValidatedBody(request) };
  },
  replies: repliesV1,
};
