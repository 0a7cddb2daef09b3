import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapOllamaUsage, toOllamaChatResult } from './ollama-chat-result.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { provider: 'ollama-local', requestedModel: 'llama3.2' };

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
    expect(toOllamaChatResult(fixture('chat-text.json'), context)).toEqual({
      model: 'llama3.2',
      content: 'The sky is blue because of Rayleigh scattering.',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { promptTokens: 34, completionTokens: 12, totalTokens: 46 },
    });
  });

  it('converts tool calls: generated ids, JSON text arguments, null content, tool_calls finish', () => {
    const result = toOllamaChatResult(fixture('chat-tool-calls.json'), context);
    expect(result.content).toBeNull();
    expect(result.finishReason).toEqual({ unified: 'tool_calls', raw: 'stop' });
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' },
    ]);
  });

  it('keeps the id when Ollama sends one, and an empty answer as ""', () => {
    const withId = toOllamaChatResult({ message: { content: '', tool_calls: [{ id: 'call_x', function: { name: 'f', arguments: {} } }] } }, context);
    expect(withId.toolCalls[0]).toEqual({ id: 'call_x', name: 'f', arguments: '{}' });
    expect(toOllamaChatResult({ message: { content: '' }, done_reason: 'length' }, context)).toMatchObject({
      content: '',
      finishReason: { unified: 'length', raw: 'length' },
      usage: null,
    });
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
    expect(mapOllamaUsage({ eval_count: 5 })).toEqual({ promptTokens: 0, completionTokens: 5, totalTokens: 5 });
    expect(mapOllamaUsage({})).toBeNull();
  });
});
