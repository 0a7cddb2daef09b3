import type { FinishReason, UnifiedFinishReason } from '@ailb/shared';

/**
 * Anthropic's `stop_reason` values and the OpenAI `finish_reason` each one means to a client.
 * `pause_turn` (a server tool paused a long turn) ends this response normally, so it reads as `stop`;
 * `model_context_window_exceeded` is the model running out of room, which OpenAI calls `length`.
 */
const unifiedByStopReason: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/**
 * Maps Anthropic's `stop_reason` to a {@link FinishReason}, keeping the raw value for logs.
 * A value Anthropic adds later maps to `stop` rather than failing a finished answer.
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? null;
  const unified = raw !== null && Object.hasOwn(unifiedByStopReason, raw) ? unifiedByStopReason[raw] : undefined;
  return { unified: unified ?? 'stop', raw };
}
