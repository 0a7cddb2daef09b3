import { describe, expect, it } from 'vitest';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';

describe('mapOllamaFinishReason', () => {
  it.each([
    ['stop', false, 'stop'],
    ['length', false, 'length'],
    ['load', false, 'stop'],
    [undefined, false, 'stop'],
    ['stop', true, 'tool_calls'],
    ['length', true, 'tool_calls'],
  ] as const)('done_reason %s with tool calls %s → %s', (doneReason, hasToolCalls, unified) => {
    expect(mapOllamaFinishReason(doneReason, hasToolCalls)).toEqual({ unified, raw: doneReason ?? null });
  });
});
