import { z } from 'zod';

/** One exchange of a conversation: what the user said and what the assistant answered. */
export const memoryTurnSchema = z.object({
  user: z.string(),
  assistant: z.string(),
  /** The model that answered (as served) and the deployment. */
  model: z.string(),
  provider: z.string(),
  usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) }).nullable(),
  /** Epoch milliseconds when the answer completed. */
  createdAt: z.number().int(),
});
export type MemoryTurn = z.infer<typeof memoryTurnSchema>;
