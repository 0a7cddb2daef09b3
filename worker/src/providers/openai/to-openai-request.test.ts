import type { ChatRequestBody } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { toOpenAIRequest, toOpenAIStreamRequest } from './to-openai-request.js';

const request: ChatRequestBody = {
  model: 'public-name',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', content: '42', tool_call_id: 'call_1' },
  ],
  stream: true,
  stream_options: { include_usage: false },
  temperature: 0.2,
  max_completion_tokens: 100,
  stop: null,
  seed: undefined,
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  tool_choice: 'auto',
  response_format: { type: 'json_object' },
  reasoning_effort: 'low',
};

describe('toOpenAIRequest', () => {
  it('forwards the fields as they are, with the upstream model and without null/undefined ones', () => {
    expect(toOpenAIRequest(request, 'gpt-4o-mini')).toEqual({
      model: 'gpt-4o-mini',
      messages: request.messages,
      temperature: 0.2,
      max_completion_tokens: 100,
      tools: request.tools,
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
      reasoning_effort: 'low',
    });
  });

  it('keeps null inside messages (assistant content: null is meaningful)', () => {
    expect(toOpenAIRequest(request, 'm').messages[2]).toMatchObject({ content: null });
  });
});

describe('toOpenAIStreamRequest', () => {
  it('always streams with include_usage, whatever the client asked', () => {
    const body = toOpenAIStreamRequest(request, 'gpt-4o-mini');
    expect(body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, temperature: 0.2 });
    expect(body).not.toHaveProperty('stop');
    expect(body).not.toHaveProperty('seed');
  });
});
