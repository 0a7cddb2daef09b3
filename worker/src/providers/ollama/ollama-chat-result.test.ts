import { readFileSync } from 'node:fs';
import { chatResultSchema, type CallWarning } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { mapOllamaUsage, toOllamaChatResult } from './ollama-chat-result.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { provider: 'ollama-local', requestedModel: 'requested' };
/** Converts and checks the result against the spec schema. */
const convert = (body: unknown, warnings?: CallWarning[]) => chatResultSchema.parse(toOllamaChatResult(body, context, warnings));

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('toOllamaChatResult', () => {
  it('converts a text answer', () => {
    expect(convert(fixture('chat-text.json'))).toEqual({
      content: [{ type: 'text', text: 'The sky is blue because of Rayleigh scattering.' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 34, outputTokens: 12, totalTokens: 46 },
      response: { modelId: 'llama3.2' },
    });
  });

  it('converts tool calls: generated ids, JSON text input, no text part, tool-calls finish', () => {
    const result = convert(fixture('chat-tool-calls.json'));
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'stop' });
    expect(result.content).toEqual([
      { type: 'tool-call', toolCallId: expect.stringMatching(/^call_[0-9a-f]{24}$/), toolName: 'get_current_weather', input: '{"format":"celsius","location":"Paris, FR"}' },
    ]);
  });

  it('keeps the id when Ollama sends one, and text said next to tool calls', () => {
    const result = convert({ message: { content: 'Checking.', tool_calls: [{ id: 'call_x', function: { name: 'f', arguments: {} } }] } });
    expect(result.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'call_x', toolName: 'f', input: '{}' },
    ]);
  });

  it('keeps an empty answer as an empty text part, and the requested model when Ollama names none', () => {
    expect(convert({ message: { content: '' }, done_reason: 'length' })).toEqual({
      content: [{ type: 'text', text: '' }],
      finishReason: { unified: 'length', raw: 'length' },
      usage: null,
      response: { modelId: 'requested' },
    });
    expect(convert({ message: {} }).content).toEqual([{ type: 'text', text: '' }]);
  });

  it('puts the thinking first as a reasoning part, and ignores empty thinking', () => {
    const thought = convert({ model: 'qwen3', message: { content: 'Blue.', thinking: 'Rayleigh, probably.' }, done: true, done_reason: 'stop' });
    expect(thought.content).toEqual([
      { type: 'reasoning', text: 'Rayleigh, probably.' },
      { type: 'text', text: 'Blue.' },
    ]);
    expect(convert({ message: { content: 'Blue.', thinking: '' } }).content).toEqual([{ type: 'text', text: 'Blue.' }]);
  });

  it('orders reasoning, then tool calls, when a thinking model calls a tool', () => {
    const result = convert({ message: { content: '', thinking: 'Need the time.', tool_calls: [{ id: 'c', function: { name: 'now', arguments: {} } }] } });
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'tool-call']);
  });

  it('attaches warnings only when there are some', () => {
    const warnings: CallWarning[] = [{ type: 'unsupported-setting', setting: 'user' }];
    expect(convert(fixture('chat-text.json'), warnings).warnings).toEqual(warnings);
    expect(convert(fixture('chat-text.json'), [])).not.toHaveProperty('warnings');
  });

  it('maps an unknown done_reason to other, keeping it raw', () => {
    expect(convert({ message: { content: '' }, done_reason: 'load' }).finishReason).toEqual({ unified: 'other', raw: 'load' });
  });

  it('rejects a body without message, and reports an {error} body as upstream_error', () => {
    expect(thrown(() => toOllamaChatResult({ model: 'x', done: true }, context))).toMatchObject({ code: 'upstream_malformed_response' });
    expect(thrown(() => toOllamaChatResult([1], context))).toMatchObject({ code: 'upstream_malformed_response' });
    expect(thrown(() => toOllamaChatResult({ error: 'llama runner process has terminated' }, context))).toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('llama runner process has terminated'),
    });
  });
});

describe('mapOllamaUsage', () => {
  it('counts a missing prompt_eval_count (prompt cache hit) as 0, but both missing as no usage', () => {
    expect(mapOllamaUsage({ eval_count: 5 })).toEqual({ inputTokens: 0, outputTokens: 5, totalTokens: 5 });
    expect(mapOllamaUsage({})).toBeNull();
  });
});
