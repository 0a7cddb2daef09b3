import type { FinishReason } from '@ailb/shared';

/**
 * Maps OpenAI's `finish_reason` to the unified value, keeping the raw one for traces.
 * `function_call` is the legacy name of `tool_calls`; values only some OpenAI-compatible servers send
 * (e.g. `eos`, `abort`) count as `stop` because the answer did end, just for a reason we cannot name.
 */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  const rawValue = raw ?? null;
  switch (raw) {
    case 'length':
      return { unified: 'length', raw: rawValue };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool_calls', raw: rawValue };
    case 'content_filter':
      return { unified: 'content_filter', raw: rawValue };
    default:
      return { unified: 'stop', raw: rawValue };
  }
}
