import type { JobContext } from '@ailb/shared';
import { executeChatJob, type ExecutionDependencies } from '../execution/execute-chat-job.js';

/**
 * The processor of the `chat` queue: runs a job's routing plan against providers and replies to the
 * waiting gateway. The transport has already decoded the job (and upgraded one of the version before).
 * With `dependencies.workerVersion`, every answer names it (`x-ailb-worker-version` at the gateway).
 */
export function chatProcessor(dependencies: ExecutionDependencies): (context: JobContext<'chat'>) => Promise<void> {
  return (context) => executeChatJob(context, dependencies);
}
