import { readFileSync } from 'node:fs';
import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { mapOpenAIUsage } from './map-openai-usage.js';
import { toOpenAIChatResult } from './openai-chat-result.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const context = { provider: 'openai-main', requestedModel: 'gpt-4o-mini' };

describe('toOpenAIChatResult', () => {
  it('converts a text completion', () => {
    expect(toOpenAIChatResult(fixture('chat-completion-text.json'), context)).toEqual({
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29, cachedInputTokens: 0, reasoningTokens: 0 },
      response: { id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', modelId: 'gpt-4o-mini-2024-07-18' },
    });
  });

  it('converts parallel tool calls and cached prompt tokens', () => {
    const result = toOpenAIChatResult(fixture('chat-completion-tool-calls.json'), context);
    // content null: no text part at all.
    expect(result.content).toEqual([
      { type: 'tool-call', toolCallId: 'call_qOfTGgDrItLORNfC6VwUbyLL', toolName: 'get_weather', input: '{"location":"Shanghai"}' },
      { type: 'tool-call', toolCallId: 'call_7kGv3kpUdUfY0L5NwS3jcLpq', toolName: 'get_time', input: '{"timezone":"Asia/Shanghai"}' },
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(result.usage).toMatchObject({ inputTokens: 1191, cachedInputTokens: 1024 });
  });

  it('falls back to the requested model and null usage for sparse compatible servers', () => {
    const result = toOpenAIChatResult({ choices: [{ message: { content: 'ok' }, finish_reason: 'eos' }] }, context);
    expect(result).toEqual({
      content: [{ type: 'text', text: 'ok' }],
      finishReason: { unified: 'other', raw: 'eos' },
      usage: null,
      response: { modelId: 'gpt-4o-mini' },
    });
  });

  it('puts the reasoning compatible servers return before the answer', () => {
    const result = toOpenAIChatResult({ model: 'deepseek-reasoner', choices: [{ message: { content: 'Answer', reasoning_content: 'Because' }, finish_reason: 'stop' }] }, context);
    expect(result.content).toEqual([
      { type: 'reasoning', text: 'Because' },
      { type: 'text', text: 'Answer' },
    ]);
  });

  it('keeps an empty answer as an empty text part', () => {
    expect(toOpenAIChatResult({ choices: [{ message: { content: '' }, finish_reason: 'stop' }] }, context).content).toEqual([{ type: 'text', text: '' }]);
  });

  it.each([{ id: 'x', choices: [] }, { id: 'x' }, 'plain text body', null])('rejects a response without choices: %j', (body) => {
    const error = (() => {
      try {
        toOpenAIChatResult(body, context);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_malformed_response', provider: 'openai-main' });
  });
});

describe('mapOpenAIUsage', () => {
  it('reads reasoning tokens', () => {
    expect(
      mapOpenAIUsage({ prompt_tokens: 10, completion_tokens: 300, completion_tokens_details: { reasoning_tokens: 256 } }),
    ).toEqual({ inputTokens: 10, outputTokens: 300, totalTokens: 310, reasoningTokens: 256 });
  });

  it('is null when absent, never an estimate', () => {
    expect(mapOpenAIUsage(undefined)).toBeNull();
    expect(mapOpenAIUsage(null)).toBeNull();
    expect(mapOpenAIUsage({})).toBeNull();
  });
});
