import { describe, expect, it } from 'vitest';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

describe('mapOpenAIFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['content_filter', 'content-filter'],
    ['eos', 'other'],
    ['something_new', 'other'],
  ] as const)('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toEqual({ unified, raw });
  });

  it.each([null, undefined])('maps a missing value (%s) to stop with raw null', (raw) => {
    expect(mapOpenAIFinishReason(raw)).toEqual({ unified: 'stop', raw: null });
  });
});
