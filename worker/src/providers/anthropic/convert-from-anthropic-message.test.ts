import { chatResultSchema } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { convertFromAnthropicMessage, type AnthropicMessageResponse } from './convert-from-anthropic-message.js';
import { readFixture } from './fixtures/anthropic-test-support.js';

function readMessage(name: string): AnthropicMessageResponse {
  return readFixture<AnthropicMessageResponse>(name);
}

describe('convertFromAnthropicMessage', () => {
  it('converts a text answer', () => {
    const result = chatResultSchema.parse(convertFromAnthropicMessage(readMessage('message-text.json')));
    expect(result).toEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-5-20250929',
      content: 'Hello! How can I help you today?',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { promptTokens: 12, completionTokens: 12, totalTokens: 24, cachedPromptTokens: 0 },
    });
  });

  it('converts tool_use blocks to tool calls and counts cache tokens as prompt tokens', () => {
    const result = chatResultSchema.parse(convertFromAnthropicMessage(readMessage('message-tool-use.json')));
    expect(result.content).toBe("I'll check the weather in both cities.");
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      { id: 'toolu_01B8x7c6v5b4n3m2', name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' },
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_use' });
    // 472 uncached + 1024 written to the cache + 2048 read from it.
    expect(result.usage).toEqual({ promptTokens: 3544, completionTokens: 117, totalTokens: 3661, cachedPromptTokens: 2048 });
  });

  it('gives null content when the answer has no text block', () => {
    const message = readMessage('message-tool-use.json');
    const result = convertFromAnthropicMessage({ ...message, content: message.content.filter((block) => block.type !== 'text') });
    expect(result.content).toBeNull();
    expect(result.toolCalls).toHaveLength(2);
  });
});
