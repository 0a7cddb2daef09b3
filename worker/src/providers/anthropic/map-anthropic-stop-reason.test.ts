import { describe, expect, it } from 'vitest';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
  ] as const)('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapAnthropicStopReason(raw)).toEqual({ unified, raw });
  });

  it('maps a stop reason Anthropic adds later to other, keeping it raw', () => {
    expect(mapAnthropicStopReason('some_future_reason')).toEqual({ unified: 'other', raw: 'some_future_reason' });
  });

  it('does not treat inherited object keys as stop reasons', () => {
    expect(mapAnthropicStopReason('toString')).toEqual({ unified: 'other', raw: 'toString' });
  });

  it('maps a missing stop reason to other with a null raw value', () => {
    expect(mapAnthropicStopReason(null)).toEqual({ unified: 'other', raw: null });
    expect(mapAnthropicStopReason(undefined)).toEqual({ unified: 'other', raw: null });
  });
});
