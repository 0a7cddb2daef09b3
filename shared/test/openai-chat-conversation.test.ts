import { describe, expect, it } from 'vitest';
import { decodeChatRequest } from '../src/codecs/openai-chat/index.js';

/** What OpenAI refuses about a conversation, refused the same way (400, naming the message). */
const refusal = (messages: unknown[]) => {
  try {
    decodeChatRequest({ model: 'm', messages });
    return undefined;
  } catch (error) {
    return error as { code: string; param: string; message: string };
  }
};
const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };

describe('conversation rules', () => {
  it('refuses an empty content array', () => {
    expect(refusal([{ role: 'user', content: [] }])).toMatchObject({ code: 'invalid_value', param: 'messages[0].content' });
    expect(refusal([{ role: 'system', content: [] }, { role: 'user', content: 'hi' }])).toMatchObject({ param: 'messages[0].content' });
  });

  it('refuses an assistant message with neither content nor tool calls', () => {
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', content: null }, { role: 'user', content: 'again' }])).toMatchObject({ code: 'missing_required_parameter', param: 'messages[1].content' });
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [] }])).toMatchObject({ param: 'messages[1].content' });
    // Content, a refusal or tool calls are each enough.
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }])).toBeUndefined();
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, refusal: 'no' }, { role: 'user', content: 'more' }])).toBeUndefined();
  });

  it('refuses a tool message that answers no tool call before it', () => {
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }])).toMatchObject({ code: 'invalid_value', param: 'messages[1].tool_call_id' });
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_2', content: 'r' }])).toMatchObject({ param: 'messages[2].tool_call_id' });
    // A user turn in between closes the calls.
    expect(refusal([{ role: 'assistant', content: null, tool_calls: [call] }, { role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }])).toMatchObject({ param: 'messages[2].tool_call_id' });
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }])).toBeUndefined();
  });
});
