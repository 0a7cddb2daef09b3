import type { JobPriority } from '../../index.js';

/**
 * BullMQ serves its wait list before its prioritized set: `high` goes to the head of the wait list
 * (LIFO), `normal` to its tail, `low` into the prioritized set, so it runs only when nothing else waits.
 * Normal jobs stay out of the prioritized set, which costs a sorted-set insert per job.
 */
export const BULLMQ_PRIORITY: Record<JobPriority, { lifo?: boolean; priority?: number }> = {
  high: { lifo: true },
  normal: {},
  low: { priority: 1 },
};

/** The BullMQ options of a job of `priority` (anything else: normal). */
export function bullmqPriority(priority: unknown): { lifo?: boolean; priority?: number } {
  return priority === 'high' || priority === 'low' ? BULLMQ_PRIORITY[priority] : BULLMQ_PRIORITY.normal;
}
