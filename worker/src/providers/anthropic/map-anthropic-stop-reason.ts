import type { FinishReason, UnifiedFinishReason } from '@ailb/shared';

/**
 * Anthropic's `stop_reason` values and the unified reason each one means. `model_context_window_exceeded`
 * is the model running out of room, like reaching `max_tokens`. `pause_turn` (a server tool paused a
 * long turn) is not listed: the turn is unfinished rather than complete, so it reads as `other`.
 */
const unifiedByStopReason: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/**
 * Maps Anthropic's `stop_reason` to a {@link FinishReason}, keeping the raw value for traces. A value
 * Anthropic adds later (or none at all) maps to `other` rather than failing a finished answer.
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? null;
  const unified = raw !== null && Object.hasOwn(unifiedByStopReason, raw) ? unifiedByStopReason[raw] : undefined;
  return { unified: unified ?? 'other', raw };
}
