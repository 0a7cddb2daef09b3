import { GatewayError, type ChatMessage, type ChatRequestBody } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOllamaMessages } from './to-ollama-messages.js';
import { toOllamaRequest } from './to-ollama-request.js';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: true } };
const timeTool = { type: 'function' as const, function: { name: 'get_time' } };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('toOllamaRequest', () => {
  it('maps sampling fields to options, leaving unset ones out', () => {
    const request: ChatRequestBody = {
      model: 'public',
      messages: [user('Hi')],
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 50,
      max_completion_tokens: 64,
      stop: 'END',
      seed: 7,
      presence_penalty: null,
      frequency_penalty: 0.5,
      user: 'someone',
      logit_bias: { '50256': -100 },
    };
    expect(toOllamaRequest(request, 'llama3.2', true)).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      options: { temperature: 0.3, top_p: 0.9, num_predict: 64, stop: ['END'], seed: 7, frequency_penalty: 0.5 },
    });
  });

  it('falls back to max_tokens and omits options when there are none', () => {
    expect(toOllamaRequest({ model: 'p', messages: [user('Hi')], max_tokens: 5 }, 'm', false).options).toEqual({ num_predict: 5 });
    expect(toOllamaRequest({ model: 'p', messages: [user('Hi')] }, 'm', false)).not.toHaveProperty('options');
  });

  it('sends tools in the function shape without strict, honouring tool_choice where it can', () => {
    const base: ChatRequestBody = { model: 'p', messages: [user('Hi')], tools: [weatherTool, timeTool] };
    expect(toOllamaRequest(base, 'm', false).tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } },
      { type: 'function', function: { name: 'get_time' } },
    ]);
    expect(toOllamaRequest({ ...base, tool_choice: 'none' }, 'm', false)).not.toHaveProperty('tools');
    expect(toOllamaRequest({ ...base, tool_choice: { type: 'function', function: { name: 'get_time' } } }, 'm', false).tools).toEqual([
      { type: 'function', function: { name: 'get_time' } },
    ]);
  });

  it('maps response_format to format', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } } };
    const body = (response_format: ChatRequestBody['response_format']) => toOllamaRequest({ model: 'p', messages: [user('Hi')], response_format }, 'm', false);
    expect(body({ type: 'json_object' }).format).toBe('json');
    expect(body({ type: 'json_schema', json_schema: { name: 'person', schema } }).format).toEqual(schema);
    expect(body({ type: 'text' })).not.toHaveProperty('format');
  });
});

describe('toOllamaMessages', () => {
  it('maps roles, parts, images, tool calls and tool results', () => {
    const messages: ChatMessage[] = [
      { role: 'developer', content: 'Be brief.' },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in ' },
          { type: 'text', text: 'this image?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_unknown', content: 'orphan' },
    ];
    expect(toOllamaMessages(messages)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'What is in this image?', images: ['iVBORw0KGgo='] },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
      { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
      { role: 'tool', content: 'orphan' },
    ]);
  });

  it('treats empty arguments as no arguments', () => {
    const [converted] = toOllamaMessages([
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'now', arguments: '' } }] },
    ]);
    expect(converted?.tool_calls).toEqual([{ function: { name: 'now', arguments: {} } }]);
  });

  it('rejects image links with unsupported_value naming the part', () => {
    const error = thrown(() =>
      toOllamaMessages([user('Hi'), { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }]),
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'messages[1].content[1]' });
  });

  it('rejects audio parts with unsupported_value', () => {
    const error = thrown(() => toOllamaMessages([{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }]));
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'messages[0].content[0]' });
  });

  it.each(['{"city":', '[1,2]'])('rejects tool arguments %s with invalid_value naming the call', (text) => {
    const error = thrown(() =>
      toOllamaMessages([
        user('Hi'),
        { role: 'assistant', tool_calls: [
          { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'b', type: 'function', function: { name: 'g', arguments: text } },
        ] },
      ]),
    );
    expect(error).toMatchObject({ code: 'invalid_value', param: 'messages[1].tool_calls[1].function.arguments' });
  });
});
