import { decodeValidatedBody } from '@ailb/shared/openai-chat';
import type { ChatCall } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOpenAIRequest } from './to-openai-request.js';

/** A client's OpenAI body, through the gateway's codec, is what this adapter receives. */
const clientBody = {
  model: 'public-name',
  messages: [
    { role: 'developer' as const, content: 'Be brief.', name: 'ops' },
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }, { type: 'image_url' as const, image_url: { url: 'https://x/y.png', detail: 'low' as const } }] },
    { role: 'assistant' as const, content: null, tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool' as const, content: '42', tool_call_id: 'call_1' },
    { role: 'user' as const, content: [{ type: 'input_audio' as const, input_audio: { data: 'UklG', format: 'wav' } }] },
  ],
  temperature: 0.2,
  max_completion_tokens: 100,
  stop: 'END',
  seed: 7,
  user: 'u-1',
  tools: [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' }, strict: true } }],
  tool_choice: { type: 'function' as const, function: { name: 'f' } },
  parallel_tool_calls: false,
  response_format: { type: 'json_schema' as const, json_schema: { name: 'answer', schema: { type: 'object' } } },
  reasoning_effort: 'low' as const,
  logit_bias: { '42': -1 },
  store: false,
};

describe('toOpenAIRequest', () => {
  it('re-expresses the spec in OpenAI fields, keeping what the client said the way it said it', () => {
    expect(toOpenAIRequest(decodeValidatedBody(clientBody), 'gpt-4o-mini', false)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Be brief.', name: 'ops' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
        { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } }] },
      ],
      temperature: 0.2,
      max_completion_tokens: 100,
      stop: ['END'],
      seed: 7,
      user: 'u-1',
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
      reasoning_effort: 'low',
      logit_bias: { '42': -1 },
      store: false,
    });
  });

  it('sends one plain text part as a string, max_tokens by default, and json_object for JSON without a schema', () => {
    const call: ChatCall = {
      specificationVersion: 1,
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      maxOutputTokens: 5,
      responseFormat: { type: 'json' },
    };
    expect(toOpenAIRequest(call, 'm', false)).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5, response_format: { type: 'json_object' } });
  });

  it('streams with include_usage whatever the client asked, and never sends reasoning back', () => {
    const call: ChatCall = {
      specificationVersion: 1,
      prompt: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'Yes' }] }],
    };
    expect(toOpenAIRequest(call, 'm', true)).toEqual({ model: 'm', messages: [{ role: 'assistant', content: 'Yes' }], stream: true, stream_options: { include_usage: true } });
  });
});
