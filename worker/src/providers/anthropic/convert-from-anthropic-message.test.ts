import { chatResultSchema } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { convertFromAnthropicMessage, type AnthropicMessageResponse } from './convert-from-anthropic-message.js';
import { readFixture } from './fixtures/anthropic-test-support.js';

function readMessage(name: string): AnthropicMessageResponse {
  return readFixture<AnthropicMessageResponse>(name);
}

describe('convertFromAnthropicMessage', () => {
  it('converts a text answer, with no warnings field when there are none', () => {
    const result = chatResultSchema.parse(convertFromAnthropicMessage(readMessage('message-text.json')));
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 12, outputTokens: 12, totalTokens: 24, cachedInputTokens: 0 },
      response: { id: 'msg_01XFDUDYJgAACzvnptvVoYEL', modelId: 'claude-sonnet-4-5-20250929' },
    });
    expect(result).not.toHaveProperty('warnings');
  });

  it('converts tool_use blocks to tool-call parts in block order and counts cache tokens as input', () => {
    const result = chatResultSchema.parse(convertFromAnthropicMessage(readMessage('message-tool-use.json')));
    expect(result.content).toEqual([
      { type: 'text', text: "I'll check the weather in both cities." },
      {
        type: 'tool-call',
        toolCallId: 'toolu_01A09q90qw90lq917835lq9',
        toolName: 'get_weather',
        input: '{"location":"San Francisco, CA","unit":"celsius"}',
      },
      { type: 'tool-call', toolCallId: 'toolu_01B8x7c6v5b4n3m2', toolName: 'get_weather', input: '{"location":"Paris, France","unit":"celsius"}' },
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    // 472 uncached + 1024 written to the cache + 2048 read from it.
    expect(result.usage).toEqual({ inputTokens: 3544, outputTokens: 117, totalTokens: 3661, cachedInputTokens: 2048 });
  });

  it('gives no text part when the answer has no text block', () => {
    const message = readMessage('message-tool-use.json');
    const result = convertFromAnthropicMessage({ ...message, content: message.content.filter((block) => block.type !== 'text') });
    expect(result.content.map((part) => part.type)).toEqual(['tool-call', 'tool-call']);
  });

  it('keeps one text part per block and an empty tool input as {}', () => {
    const message = readMessage('message-tool-use.json');
    const result = convertFromAnthropicMessage({
      ...message,
      content: [
        { type: 'text', text: 'One.', citations: null },
        { type: 'text', text: 'Two.', citations: null },
        { type: 'tool_use', id: 'toolu_none', name: 'get_time', input: null },
      ] as AnthropicMessageResponse['content'],
    });
    expect(result.content).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
      { type: 'tool-call', toolCallId: 'toolu_none', toolName: 'get_time', input: '{}' },
    ]);
  });

  it('converts thinking and redacted thinking to reasoning parts that keep what Anthropic needs back', () => {
    const message = readMessage('message-text.json');
    const result = chatResultSchema.parse(
      convertFromAnthropicMessage({
        ...message,
        content: [
          { type: 'thinking', thinking: 'The user greets me.', signature: 'sig-abc' },
          { type: 'redacted_thinking', data: 'ENCRYPTED' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          ...message.content,
        ] as AnthropicMessageResponse['content'],
      }),
    );
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'The user greets me.', providerMetadata: { anthropic: { signature: 'sig-abc' } } },
      { type: 'reasoning', text: '', providerMetadata: { anthropic: { redactedData: 'ENCRYPTED' } } },
      { type: 'text', text: 'Hello! How can I help you today?' },
    ]);
  });

  it('attaches the request warnings, and reads a missing usage and stop reason as unknown', () => {
    const message = readMessage('message-text.json');
    const warnings = [{ type: 'unsupported-setting', setting: 'seed' }] as const;
    const result = convertFromAnthropicMessage({ ...message, stop_reason: null, usage: null as never }, warnings);
    expect(result.warnings).toEqual([{ type: 'unsupported-setting', setting: 'seed' }]);
    expect(result.finishReason).toEqual({ unified: 'other', raw: null });
    expect(result.usage).toBeNull();
  });
});
