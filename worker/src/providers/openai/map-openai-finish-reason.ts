import type { FinishReason } from '@ailb/shared';

/**
 * Maps OpenAI's `finish_reason` to the unified value, keeping the raw one for traces. `function_call`
 * is the legacy name of `tool_calls`; values only some compatible servers send (`eos`, `abort`) are
 * `other`: the answer did end, for a reason OpenAI has no word for. A missing reason counts as `stop`.
 */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  const rawValue = raw ?? null;
  switch (raw) {
    case 'stop':
    case null:
    case undefined:
      return { unified: 'stop', raw: rawValue };
    case 'length':
      return { unified: 'length', raw: rawValue };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw: rawValue };
    case 'content_filter':
      return { unified: 'content-filter', raw: rawValue };
    default:
      return { unified: 'other', raw: rawValue };
  }
}
