import type { FinishReason } from '@ailb/shared';

/**
 * Maps Ollama's `done_reason` to the unified finish reason. Ollama reports `stop` even when the answer
 * is a tool call, so the presence of tool calls decides `tool-calls`; `length` means `num_predict` was
 * reached; `stop` (or no reason at all) is a normal end. Any other value (`load`, a future reason) is
 * `other`, its raw value kept for traces.
 */
export function mapOllamaFinishReason(doneReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  const raw = doneReason ?? null;
  if (hasToolCalls) return { unified: 'tool-calls', raw };
  if (doneReason === 'length') return { unified: 'length', raw };
  // An empty reason counts as none.
  if (doneReason === 'stop' || !doneReason) return { unified: 'stop', raw };
  return { unified: 'other', raw };
}
