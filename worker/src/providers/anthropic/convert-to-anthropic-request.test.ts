import { GatewayError, chatRequestBodySchema, type ChatRequestBody } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { convertFromAnthropicMessage, type AnthropicMessageResponse } from './convert-from-anthropic-message.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { readFixture } from './fixtures/anthropic-test-support.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const CONFIG = { default_max_tokens: 4096 };

/** Parses through the real request schema so tests use exactly what the worker receives. */
function chatRequest(fields: Record<string, unknown>): ChatRequestBody {
  return chatRequestBodySchema.parse({ model: 'public-model', messages: [{ role: 'user', content: 'Hi' }], ...fields });
}

function convert(fields: Record<string, unknown>) {
  return convertToAnthropicRequest(chatRequest(fields), MODEL, CONFIG);
}

function conversionError(fields: Record<string, unknown>): GatewayError {
  try {
    convert(fields);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the conversion to fail');
}

describe('convertToAnthropicRequest: messages', () => {
  it('sends the upstream model and a user message as a text block, with no system field', () => {
    const body = convert({});
    expect(body.model).toBe(MODEL);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    expect(body).not.toHaveProperty('system');
  });

  it('joins every system and developer message, wherever it appears, into the top-level system', () => {
    const body = convert({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in ' }, { type: 'text', text: 'French.' }] },
        { role: 'assistant', content: 'Bonjour.' },
        { role: 'system', content: 'Never use emoji.' },
        { role: 'user', content: 'Ça va?' },
      ],
    });
    expect(body.system).toBe('You are terse.\n\nAnswer in French.\n\nNever use emoji.');
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('merges consecutive turns of the same role, since Anthropic expects them to alternate', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'First.' },
        { role: 'system', content: 'Lifted out.' },
        { role: 'user', content: 'Second.' },
        { role: 'assistant', content: 'One.' },
        { role: 'assistant', content: [{ type: 'text', text: 'Two.' }, { type: 'refusal', refusal: 'I cannot.' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'First.' }, { type: 'text', text: 'Second.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.I cannot.' }] },
    ]);
  });

  it('converts assistant tool calls to tool_use blocks and tool results to one user turn', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'Weather in SF and Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"SF"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '21°C' }] },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in SF and Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'SF' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { location: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '21°C' },
          { type: 'text', text: 'Thanks!' },
        ],
      },
    ]);
  });

  it('round-trips tool calls: an Anthropic tool_use answer, sent back as history, is the same tool_use', () => {
    const response = readFixture<AnthropicMessageResponse>('message-tool-use.json');
    const result = convertFromAnthropicMessage(response);
    const body = convert({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: result.content,
          tool_calls: result.toolCalls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
        },
      ],
    });
    // The request blocks carry what the response blocks said (without response-only fields).
    const expectedBlocks = response.content.map((block) => {
      if (block.type === 'text') return { type: 'text', text: block.text };
      if (block.type === 'tool_use') return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
      throw new Error(`unexpected block ${block.type} in the fixture`);
    });
    expect(body.messages[1]).toEqual({ role: 'assistant', content: expectedBlocks });
  });

  it('omits an assistant turn with empty content and no tool calls', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'A' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'B' },
      ],
    });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] }]);
  });

  it('converts data-URL images to base64 sources and http(s) URLs to URL sources', () => {
    const body = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('refuses image types Anthropic does not take and data URLs that are not base64', () => {
    const bmp = conversionError({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }],
    });
    expect(bmp).toMatchObject({ code: 'unsupported_value', param: 'messages[0].content[0].image_url.url' });
    const plain = conversionError({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } }] }],
    });
    expect(plain).toMatchObject({ code: 'invalid_value', param: 'messages[0].content[0].image_url.url' });
  });

  it.each([
    ['input_audio', { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
    ['file', { type: 'file', file: { file_id: 'file-123' } }],
  ])('refuses %s parts as unsupported, naming the part', (_type, part) => {
    const error = conversionError({
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: [{ type: 'text', text: 'Listen:' }, part] },
      ],
    });
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'messages[1].content[1].type', status: 400 });
  });

  it('refuses tool call arguments that are not a JSON object, naming the field', () => {
    const error = conversionError({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: 'Calling.',
          tool_calls: [
            { id: 'call_ok', type: 'function', function: { name: 'a', arguments: '{}' } },
            { id: 'call_bad', type: 'function', function: { name: 'b', arguments: '{"location": ' } },
          ],
        },
      ],
    });
    expect(error).toMatchObject({ code: 'invalid_value', param: 'messages[1].tool_calls[1].function.arguments' });
    const array = conversionError({
      messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'a', arguments: '[1]' } }] }],
    });
    expect(array).toMatchObject({ code: 'invalid_value', param: 'messages[0].tool_calls[0].function.arguments' });
  });
});

describe('convertToAnthropicRequest: parameters', () => {
  it('uses max_completion_tokens, then max_tokens, then the deployment default', () => {
    expect(convert({ max_completion_tokens: 100, max_tokens: 200 }).max_tokens).toBe(100);
    expect(convert({ max_tokens: 200 }).max_tokens).toBe(200);
    expect(convert({}).max_tokens).toBe(4096);
  });

  it('sends stop as a stop_sequences array', () => {
    expect(convert({ stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(convert({ stop: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
    expect(convert({})).not.toHaveProperty('stop_sequences');
  });

  it('passes temperatures up to 1 unchanged and clamps hotter ones to 1', () => {
    expect(convert({ temperature: 0 }).temperature).toBe(0);
    expect(convert({ temperature: 0.7 }).temperature).toBe(0.7);
    expect(convert({ temperature: 1 }).temperature).toBe(1);
    expect(convert({ temperature: 1.8 }).temperature).toBe(1);
    expect(convert({})).not.toHaveProperty('temperature');
  });

  it('passes top_p and maps user to metadata.user_id', () => {
    const body = convert({ top_p: 0.9, user: 'user-42' });
    expect(body.top_p).toBe(0.9);
    expect(body.metadata).toEqual({ user_id: 'user-42' });
  });

  it('does not send parameters Anthropic has no equivalent for', () => {
    const body = convert({
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      logit_bias: { '50256': -100 },
      logprobs: true,
      top_logprobs: 2,
      n: 1,
      stream: true,
      store: true,
      response_format: { type: 'text' },
    });
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
  });

  it('converts tools, giving a parameterless tool an empty object schema', () => {
    const parameters = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };
    const body = convert({
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters } },
        { type: 'function', function: { name: 'get_time' } },
      ],
    });
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Current weather', input_schema: parameters },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  const tools = [{ type: 'function', function: { name: 'get_weather' } }];
  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, undefined, { type: 'tool', name: 'get_weather' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'function', function: { name: 'get_weather' } }, false, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true }],
    ['none', false, { type: 'none' }],
    [undefined, true, undefined],
  ])('maps tool_choice %j with parallel_tool_calls %j', (toolChoice, parallelToolCalls, expected) => {
    const body = convert({ tools, tool_choice: toolChoice, parallel_tool_calls: parallelToolCalls });
    expect(body.tool_choice).toEqual(expected);
  });

  it('drops tool_choice when no tools are sent', () => {
    expect(convert({ tool_choice: 'none' })).not.toHaveProperty('tool_choice');
  });

  it.each(['json_object', 'json_schema'])('refuses response_format %s', (type) => {
    const responseFormat = type === 'json_object' ? { type } : { type, json_schema: { name: 'answer', schema: {} } };
    const error = conversionError({ response_format: responseFormat });
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'response_format', status: 400 });
    expect(error.message).toContain('not supported by Anthropic deployments');
  });
});
