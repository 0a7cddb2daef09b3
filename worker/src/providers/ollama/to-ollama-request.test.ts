import type { ChatCall, ToolDefinition } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOllamaRequest } from './to-ollama-request.js';

const hi: ChatCall['prompt'] = [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }];
const chatCall = (fields: Partial<ChatCall> = {}): ChatCall => ({ specificationVersion: 1, prompt: hi, ...fields });
const weatherTool: ToolDefinition = { type: 'function', name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' }, strict: true };
const timeTool: ToolDefinition = { type: 'function', name: 'get_time' };

describe('toOllamaRequest', () => {
  it('maps sampling settings to options, leaving unset ones out and other providers\' options unsent', () => {
    const call = chatCall({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 64,
      stopSequences: ['END'],
      seed: 7,
      frequencyPenalty: 0.5,
      providerOptions: { openai: { logit_bias: { '50256': -100 }, max_tokens_field: 'max_completion_tokens' } },
    });
    expect(toOllamaRequest(call, 'llama3.2', true)).toEqual({
      body: {
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
        options: { temperature: 0.3, top_p: 0.9, num_predict: 64, stop: ['END'], seed: 7, frequency_penalty: 0.5 },
      },
      warnings: [],
    });
  });

  it('sends presence_penalty and omits options when there are none', () => {
    expect(toOllamaRequest(chatCall({ presencePenalty: 0.1 }), 'm', false).body.options).toEqual({ presence_penalty: 0.1 });
    expect(toOllamaRequest(chatCall(), 'm', false).body).not.toHaveProperty('options');
  });

  it('sends tools in the function shape without strict, honouring the tool choice where it can', () => {
    const base = chatCall({ tools: [weatherTool, timeTool] });
    const all = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } },
      { type: 'function', function: { name: 'get_time' } },
    ];
    expect(toOllamaRequest(base, 'm', false).body.tools).toEqual(all);
    expect(toOllamaRequest({ ...base, toolChoice: { type: 'auto' } }, 'm', false).body.tools).toEqual(all);
    expect(toOllamaRequest({ ...base, toolChoice: { type: 'required' } }, 'm', false).body.tools).toEqual(all);
    expect(toOllamaRequest({ ...base, toolChoice: { type: 'none' } }, 'm', false).body).not.toHaveProperty('tools');
    expect(toOllamaRequest({ ...base, toolChoice: { type: 'tool', toolName: 'get_time' } }, 'm', false).body.tools).toEqual([
      { type: 'function', function: { name: 'get_time' } },
    ]);
    expect(toOllamaRequest(chatCall({ tools: [] }), 'm', false).body).not.toHaveProperty('tools');
  });

  it('maps the response format to format', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } } };
    const body = (responseFormat: ChatCall['responseFormat']) => toOllamaRequest(chatCall({ responseFormat }), 'm', false).body;
    expect(body({ type: 'json' }).format).toBe('json');
    expect(body({ type: 'json', schema, name: 'person', strict: true }).format).toEqual(schema);
    expect(body({ type: 'text' })).not.toHaveProperty('format');
  });

  it('warns about user, a required tool choice and parallelToolCalls false, which Ollama cannot honour', () => {
    const call = chatCall({ user: 'someone', tools: [timeTool], toolChoice: { type: 'required' }, parallelToolCalls: false });
    const { body, warnings } = toOllamaRequest(call, 'm', false);
    expect(warnings).toEqual([
      { type: 'unsupported-setting', setting: 'user' },
      { type: 'unsupported-setting', setting: 'toolChoice', details: 'sent as auto: Ollama cannot require a tool call' },
      { type: 'unsupported-setting', setting: 'parallelToolCalls', details: expect.any(String) },
    ]);
    expect(body).not.toHaveProperty('user');
  });

  it('does not warn about settings it honours', () => {
    const call = chatCall({ tools: [timeTool], toolChoice: { type: 'tool', toolName: 'get_time' }, parallelToolCalls: true, responseFormat: { type: 'json' } });
    expect(toOllamaRequest(call, 'm', false).warnings).toEqual([]);
    expect(toOllamaRequest(chatCall({ toolChoice: { type: 'none' } }), 'm', false).warnings).toEqual([]);
  });
});
