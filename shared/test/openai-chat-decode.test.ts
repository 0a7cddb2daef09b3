import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/index.js';
import { decodeChatRequest, toClientParam } from '../src/codecs/openai-chat/index.js';

const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };

describe('decodeChatRequest', () => {
  it('decodes messages into typed parts and options into the spec, keeping AILB extensions apart', () => {
    const decoded = decodeChatRequest({
      model: 'smart',
      stream: true,
      stream_options: { include_usage: true },
      session_id: 's-1',
      rag_collection: 'docs',
      rag_top_k: 4,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be ' }, { type: 'text', text: 'brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'file', file: { file_id: 'file-1' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"x":1}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'found' }] },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
      ],
      max_tokens: 50,
      temperature: 0,
      stop: ['a', 'b'],
      tools: [{ type: 'function', function: { name: 'look', description: 'Looks', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      response_format: { type: 'json_object' },
      logprobs: true,
      top_logprobs: 2,
      seed: null,
    });
    expect(decoded).toMatchObject({ model: 'smart', stream: true, includeUsage: true, extensions: { sessionId: 's-1', ragCollection: 'docs', ragTopK: 4 } });
    expect(decoded.call).toEqual({
      specificationVersion: 1,
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'data:image/png;base64,AAAA' }, { type: 'file', fileId: 'file-1' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'look', input: '{"x":1}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', output: 'found' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'No.' }] },
      ],
      maxOutputTokens: 50,
      temperature: 0,
      stopSequences: ['a', 'b'],
      tools: [{ type: 'function', name: 'look', description: 'Looks', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'required' },
      responseFormat: { type: 'json' },
      providerOptions: { openai: { logprobs: true, top_logprobs: 2 } },
    });
  });

  it('keeps how the client said things that only OpenAI deployments care about', () => {
    const { call } = decodeChatRequest({
      ...base,
      messages: [{ role: 'developer', content: 'Rules' }, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'high' } }, { type: 'input_audio', input_audio: { data: 'AA', format: 'mp3' } }] }],
      max_completion_tokens: 9,
    });
    expect(call.prompt[0]).toEqual({ role: 'system', content: 'Rules', providerOptions: { openai: { role: 'developer' } } });
    expect(call.prompt[1]!.content).toEqual([
      { type: 'image', url: 'https://x/y.png', providerOptions: { openai: { detail: 'high' } } },
      { type: 'file', mediaType: 'audio/mpeg', data: 'AA', providerOptions: { openai: { format: 'mp3' } } },
    ]);
    expect(call).toMatchObject({ maxOutputTokens: 9, providerOptions: { openai: { max_tokens_field: 'max_completion_tokens' } } });
  });

  it('rejects what OpenAI rejects, naming the field', () => {
    expect(() => decodeChatRequest({ ...base, frobnicate: 1 })).toThrow(expect.objectContaining({ code: 'unknown_parameter', param: 'frobnicate' }));
    expect(() => decodeChatRequest({ ...base, messages: [{ role: 'user', content: [{ type: 'video' }] }] })).toThrow(expect.objectContaining({ param: 'messages[0].content[0].type' }));
  });

  it('translates spec params of downstream errors into the client’s field names', () => {
    const { locations } = decodeChatRequest({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'ftp://nope' } }] },
        { role: 'assistant', content: 'Calling', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: 'not json' } }] },
        { role: 'user', content: 'plain' },
      ],
    });
    const named = (param: string) => toClientParam(new GatewayError('invalid_value', 'bad', { param }), locations).param;
    expect(named('prompt[0].content[1].url')).toBe('messages[0].content[1].image_url.url');
    expect(named('prompt[0].content[1].type')).toBe('messages[0].content[1].type');
    expect(named('prompt[1].content[1].input')).toBe('messages[1].tool_calls[0].function.arguments');
    expect(named('prompt[2].content[0]')).toBe('messages[2].content');
    expect(named('responseFormat')).toBe('response_format');
    expect(named('prompt[1]')).toBe('messages[1]');
    expect(named('model')).toBe('model');
    expect(named('maxOutputTokens')).toBe('max_tokens');
  });

  it('names the token limit as the client spelled it', () => {
    const { locations } = decodeChatRequest({ ...base, max_completion_tokens: 5 });
    expect(toClientParam(new GatewayError('invalid_value', 'too many', { param: 'maxOutputTokens' }), locations).param).toBe('max_completion_tokens');
  });
});
