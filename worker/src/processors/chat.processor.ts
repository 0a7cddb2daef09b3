import type { JobContext, ReplyBody } from '@ailb/shared';
import { executeChatJob, type ExecutionDependencies } from '../execution/execute-chat-job.js';

/** Names the serving worker's version in the reply that says who served (a result, or a stream's start). */
function withWorkerVersion(reply: ReplyBody, workerVersion: string): ReplyBody {
  if (reply.kind === 'result') return { ...reply, servedBy: { ...reply.servedBy, workerVersion } };
  if (reply.kind === 'stream' && reply.start) return { ...reply, start: { ...reply.start, servedBy: { ...reply.start.servedBy, workerVersion } } };
  return reply;
}

/**
 * The processor of the `chat` queue: runs a job's routing plan against providers and replies to the
 * waiting gateway. The transport has already decoded the job (and upgraded one of the version before).
 * With a `version`, every answer names it (`x-ailb-worker-version` at the gateway).
 */
export function chatProcessor(dependencies: ExecutionDependencies, version?: string): (context: JobContext<'chat'>) => Promise<void> {
  if (version === undefined) return (context) => executeChatJob(context, dependencies);
  return (context) => executeChatJob({ ...context, reply: (reply) => context.reply(withWorkerVersion(reply, version)) }, dependencies);
}
