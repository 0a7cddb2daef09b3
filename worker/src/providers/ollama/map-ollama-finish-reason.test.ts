import { describe, expect, it } from 'vitest';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';

describe('mapOllamaFinishReason', () => {
  it.each([
    ['stop', false, 'stop'],
    ['length', false, 'length'],
    [undefined, false, 'stop'],
    [null, false, 'stop'],
    ['load', false, 'other'],
    ['unload', false, 'other'],
    ['stop', true, 'tool-calls'],
    ['length', true, 'tool-calls'],
  ] as const)('done_reason %s with tool calls %s → %s', (doneReason, hasToolCalls, unified) => {
    expect(mapOllamaFinishReason(doneReason, hasToolCalls)).toEqual({ unified, raw: doneReason ?? null });
  });
});
