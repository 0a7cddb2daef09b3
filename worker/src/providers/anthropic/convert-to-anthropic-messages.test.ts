import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { convertFromAnthropicMessage, type AnthropicMessageResponse } from './convert-from-anthropic-message.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { chatCall, readFixture } from './fixtures/anthropic-test-support.js';

/* How a spec prompt becomes Anthropic's system and turns; call settings are in convert-to-anthropic-request.test.ts. */

const MODEL = 'claude-sonnet-4-5-20250929';

const user = (text: string) => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string) => ({ role: 'assistant', content: [{ type: 'text', text }] });

function convert(prompt: unknown[]) {
  return convertToAnthropicRequest(chatCall({ prompt }), MODEL, { default_max_tokens: 4096 }).body;
}

function conversionError(prompt: unknown[]): GatewayError {
  try {
    convert(prompt);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the conversion to fail');
}

describe('convertToAnthropicRequest: prompt', () => {
  it('sends the upstream model and a user message as a text block, with no system field', () => {
    const body = convert([user('Hi')]);
    expect(body.model).toBe(MODEL);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    expect(body).not.toHaveProperty('system');
  });

  it('joins every system message, wherever it appears, into the top-level system', () => {
    const body = convert([
      { role: 'system', content: 'You are terse.' },
      user('Hi'),
      { role: 'system', content: 'Answer in French.' },
      assistant('Bonjour.'),
      { role: 'system', content: '' },
      { role: 'system', content: 'Never use emoji.' },
      user('Ça va?'),
    ]);
    expect(body.system).toBe('You are terse.\n\nAnswer in French.\n\nNever use emoji.');
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('merges consecutive turns of the same role, since Anthropic expects them to alternate', () => {
    const body = convert([
      user('First.'),
      { role: 'system', content: 'Lifted out.' },
      user('Second.'),
      assistant('One.'),
      { role: 'assistant', content: [{ type: 'text', text: 'Two.' }, { type: 'text', text: ' Three.' }] },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'First.' }, { type: 'text', text: 'Second.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two. Three.' }] },
    ]);
  });

  it('converts assistant tool calls to tool_use blocks after the text, and tool results to one user turn', () => {
    const body = convert([
      user('Weather in SF and Paris?'),
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"location":"SF"}' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', input: '' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: '18°C' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', output: '21°C' }] },
      user('Thanks!'),
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in SF and Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'SF' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
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

  it('round-trips an answer: thinking, text and tool_use blocks, sent back as history, are the same blocks', () => {
    const response = readFixture<AnthropicMessageResponse>('message-tool-use.json');
    const withThinking = {
      ...response,
      content: [
        { type: 'thinking', thinking: 'Two cities, two calls.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'ENCRYPTED' },
        ...response.content,
      ] as AnthropicMessageResponse['content'],
    };
    const result = convertFromAnthropicMessage(withThinking);
    const body = convert([user('Weather?'), { role: 'assistant', content: result.content }]);
    // The request blocks carry what the response blocks said (without response-only fields).
    const expectedBlocks = withThinking.content.map((block) => {
      if (block.type === 'thinking') return { type: 'thinking', thinking: block.thinking, signature: block.signature };
      if (block.type === 'redacted_thinking') return block;
      if (block.type === 'text') return { type: 'text', text: block.text };
      if (block.type === 'tool_use') return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
      throw new Error(`unexpected block ${block.type} in the fixture`);
    });
    expect(body.messages[1]).toEqual({ role: 'assistant', content: expectedBlocks });
  });

  it('places thinking before the text and leaves out reasoning Anthropic did not sign', () => {
    const body = convert([
      user('Hi'),
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Hello.' },
          { type: 'reasoning', text: 'Unsigned thoughts.' },
          { type: 'reasoning', text: 'Another provider.', providerMetadata: { other: { signature: 'x' } } },
          { type: 'reasoning', text: 'Signed.', providerMetadata: { anthropic: { signature: 'sig-2' } } },
        ],
      },
    ]);
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Signed.', signature: 'sig-2' },
        { type: 'text', text: 'Hello.' },
      ],
    });
  });

  it('omits an assistant turn that carries nothing Anthropic takes back', () => {
    const body = convert([user('A'), assistant(''), { role: 'assistant', content: [{ type: 'reasoning', text: 'Hmm.' }] }, user('B')]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] }]);
  });

  it('converts data-URL images to base64 sources and http(s) URLs to URL sources', () => {
    const body = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
          { type: 'image', url: 'https://example.com/cat.jpg' },
        ],
      },
    ]);
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('refuses image URLs Anthropic cannot take, naming the spec location', () => {
    const image = (url: string) => [{ role: 'system', content: 'S' }, { role: 'user', content: [{ type: 'text', text: 'See:' }, { type: 'image', url }] }];
    expect(conversionError(image('data:image/bmp;base64,Qk0='))).toMatchObject({ code: 'unsupported_value', param: 'prompt[1].content[1].url' });
    expect(conversionError(image('data:image/png,rawbytes'))).toMatchObject({ code: 'invalid_value', param: 'prompt[1].content[1].url' });
    expect(conversionError(image('ftp://example.com/cat.jpg'))).toMatchObject({ code: 'invalid_value', param: 'prompt[1].content[1].url' });
  });

  it.each([
    ['audio', { type: 'file', mediaType: 'audio/wav', data: 'AAAA' }],
    ['file', { type: 'file', fileId: 'file-123' }],
  ])('refuses %s parts as unsupported, naming the part', (_kind, part) => {
    const error = conversionError([
      { role: 'system', content: 'S' },
      { role: 'user', content: [{ type: 'text', text: 'Listen:' }, part] },
    ]);
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'prompt[1].content[1].type', status: 400 });
  });

  it('refuses tool call input that is not a JSON object, naming the part', () => {
    const error = conversionError([
      user('Hi'),
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Calling.' },
          { type: 'tool-call', toolCallId: 'call_ok', toolName: 'a', input: '{}' },
          { type: 'tool-call', toolCallId: 'call_bad', toolName: 'b', input: '{"location": ' },
        ],
      },
    ]);
    expect(error).toMatchObject({ code: 'invalid_value', param: 'prompt[1].content[2].input' });
    const array = conversionError([{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'a', input: '[1]' }] }]);
    expect(array).toMatchObject({ code: 'invalid_value', param: 'prompt[0].content[0].input' });
  });
});
