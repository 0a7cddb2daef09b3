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
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4o-mini-2024-07-18',
      content: 'Hello! How can I assist you today?',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29, cachedPromptTokens: 0, reasoningTokens: 0 },
    });
  });

  it('converts parallel tool calls and cached prompt tokens', () => {
    const result = toOpenAIChatResult(fixture('chat-completion-tool-calls.json'), context);
    expect(result.content).toBeNull();
    expect(result.toolCalls).toEqual([
      { id: 'call_qOfTGgDrItLORNfC6VwUbyLL', name: 'get_weather', arguments: '{"location":"Shanghai"}' },
      { id: 'call_7kGv3kpUdUfY0L5NwS3jcLpq', name: 'get_time', arguments: '{"timezone":"Asia/Shanghai"}' },
    ]);
    expect(result.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_calls' });
    expect(result.usage).toMatchObject({ promptTokens: 1191, cachedPromptTokens: 1024 });
  });

  it('falls back to the requested model and null usage for sparse compatible servers', () => {
    const result = toOpenAIChatResult({ choices: [{ message: { content: 'ok' }, finish_reason: 'eos' }] }, context);
    expect(result).toEqual({
      model: 'gpt-4o-mini',
      content: 'ok',
      toolCalls: [],
      finishReason: { unified: 'stop', raw: 'eos' },
      usage: null,
    });
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
    ).toEqual({ promptTokens: 10, completionTokens: 300, totalTokens: 310, reasoningTokens: 256 });
  });

  it('is null when absent, never an estimate', () => {
    expect(mapOpenAIUsage(undefined)).toBeNull();
    expect(mapOpenAIUsage(null)).toBeNull();
    expect(mapOpenAIUsage({})).toBeNull();
  });
});
