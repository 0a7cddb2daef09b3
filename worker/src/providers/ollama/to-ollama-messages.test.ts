import { GatewayError, type Prompt, type PromptMessage } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOllamaMessages } from './to-ollama-messages.js';

const user = (text: string): PromptMessage => ({ role: 'user', content: [{ type: 'text', text }] });

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('toOllamaMessages', () => {
  it('maps roles, parts, images, tool calls and tool results', () => {
    const prompt: Prompt = [
      { role: 'system', content: 'Be brief.', providerOptions: { openai: { role: 'developer' } } },
      { role: 'system', content: 'Answer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in ' },
          { type: 'text', text: 'this image?' },
          { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'They want the weather.' },
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"city":"Paris"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', output: 'sunny' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_unknown', output: 'orphan' }] },
    ];
    expect(toOllamaMessages(prompt)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'What is in this image?', images: ['iVBORw0KGgo='] },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
      { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
      { role: 'tool', content: 'orphan' },
    ]);
  });

  it('joins assistant text parts and keeps text next to tool calls', () => {
    const [converted] = toOllamaMessages([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me ' },
          { type: 'text', text: 'check.' },
          { type: 'tool-call', toolCallId: 'a', toolName: 'f', input: '{"x":1}' },
          { type: 'tool-call', toolCallId: 'b', toolName: 'g', input: '{}' },
        ],
      },
    ]);
    expect(converted).toEqual({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ function: { name: 'f', arguments: { x: 1 } } }, { function: { name: 'g', arguments: {} } }],
    });
  });

  it('names a tool result by its own toolName first, and sends each result of a message on its own', () => {
    const prompt: Prompt = [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'from_call', input: '{}' }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'from_part', output: 'one' },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'other', output: 'two' },
        ],
      },
    ];
    expect(toOllamaMessages(prompt).slice(1)).toEqual([
      { role: 'tool', content: 'one', tool_name: 'from_part' },
      { role: 'tool', content: 'two', tool_name: 'other' },
    ]);
  });

  it('treats empty arguments as no arguments', () => {
    const [converted] = toOllamaMessages([{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'now', input: '' }] }]);
    expect(converted?.tool_calls).toEqual([{ function: { name: 'now', arguments: {} } }]);
  });

  it('rejects image links with unsupported_value naming the spec part', () => {
    const error = thrown(() =>
      toOllamaMessages([user('Hi'), { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image', url: 'https://example.com/cat.png' }] }]),
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'prompt[1].content[1]' });
  });

  it('rejects file parts (audio, documents) with unsupported_value', () => {
    const error = thrown(() => toOllamaMessages([{ role: 'user', content: [{ type: 'file', mediaType: 'audio/wav', data: 'AAAA' }] }]));
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'prompt[0].content[0]' });
  });

  it.each(['{"city":', '[1,2]'])('rejects tool arguments %s with invalid_value naming the part\'s input', (text) => {
    const error = thrown(() =>
      toOllamaMessages([
        user('Hi'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Calling.' },
            { type: 'tool-call', toolCallId: 'a', toolName: 'f', input: '{}' },
            { type: 'tool-call', toolCallId: 'b', toolName: 'g', input: text },
          ],
        },
      ]),
    );
    expect(error).toMatchObject({ code: 'invalid_value', param: 'prompt[1].content[2].input' });
  });
});
