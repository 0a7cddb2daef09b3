import type { JobContext } from '@ailb/shared';
import { executeChatJob, type ExecutionDependencies } from '../execution/execute-chat-job.js';

/**
 * The processor of the `chat` queue: runs a job's routing plan against providers and replies to the
 * waiting gateway. The transport has already decoded the job (and upgraded one of the version before).
 */
export function chatProcessor(dependencies: ExecutionDependencies): (context: JobContext<'chat'>) => Promise<void> {
  return (context) => executeChatJob(context, dependencies);
}
