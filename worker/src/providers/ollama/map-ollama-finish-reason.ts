import type { FinishReason } from '@ailb/shared';

/**
 * Maps Ollama's `done_reason` to the unified finish reason. Ollama reports `stop` even when the answer
 * is a tool call, so the presence of tool calls decides `tool_calls`; `length` means `num_predict`
 * was reached; anything else (`stop`, `load`, absent) is a normal end.
 */
export function mapOllamaFinishReason(doneReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  const raw = doneReason ?? null;
  if (hasToolCalls) return { unified: 'tool_calls', raw };
  if (doneReason === 'length') return { unified: 'length', raw };
  return { unified: 'stop', raw };
}
