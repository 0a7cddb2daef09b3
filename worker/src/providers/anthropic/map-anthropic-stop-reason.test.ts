import { describe, expect, it } from 'vitest';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
  ] as const)('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapAnthropicStopReason(raw)).toEqual({ unified, raw });
  });

  it('maps a stop reason Anthropic adds later to stop, keeping it raw', () => {
    expect(mapAnthropicStopReason('some_future_reason')).toEqual({ unified: 'stop', raw: 'some_future_reason' });
  });

  it('does not treat inherited object keys as stop reasons', () => {
    expect(mapAnthropicStopReason('toString')).toEqual({ unified: 'stop', raw: 'toString' });
  });

  it('maps a missing stop reason to stop with a null raw value', () => {
    expect(mapAnthropicStopReason(null)).toEqual({ unified: 'stop', raw: null });
    expect(mapAnthropicStopReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
