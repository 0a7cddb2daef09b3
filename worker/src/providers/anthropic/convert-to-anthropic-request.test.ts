import { GatewayError } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { chatCall } from './fixtures/anthropic-test-support.js';

/* How call settings become Anthropic parameters; the prompt is in convert-to-anthropic-messages.test.ts. */

const MODEL = 'claude-sonnet-4-5-20250929';
const CONFIG = { default_max_tokens: 4096 };

function convertCall(fields: Record<string, unknown>) {
  return convertToAnthropicRequest(chatCall({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], ...fields }), MODEL, CONFIG);
}

function convert(fields: Record<string, unknown>) {
  return convertCall(fields).body;
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

describe('convertToAnthropicRequest: settings', () => {
  it('uses maxOutputTokens, else the deployment default', () => {
    expect(convert({ maxOutputTokens: 100 }).max_tokens).toBe(100);
    expect(convert({}).max_tokens).toBe(4096);
  });

  it('sends non-empty stopSequences as stop_sequences', () => {
    expect(convert({ stopSequences: ['END'] }).stop_sequences).toEqual(['END']);
    expect(convert({ stopSequences: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
    expect(convert({ stopSequences: [] })).not.toHaveProperty('stop_sequences');
    expect(convert({})).not.toHaveProperty('stop_sequences');
  });

  it('never sends temperature or top_p (API version 2026-10-21 answers 400 to them) and warns instead', () => {
    const { body, warnings } = convertCall({ temperature: 0.7, topP: 0.9, user: 'user-42' });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body.metadata).toEqual({ user_id: 'user-42' });
    expect(warnings).toEqual([
      { type: 'unsupported-setting', setting: 'temperature' },
      { type: 'unsupported-setting', setting: 'topP' },
    ]);
  });

  it('sends nothing for settings Anthropic lacks, and warns about each one that was set', () => {
    const { body, warnings } = convertCall({
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: 0,
      responseFormat: { type: 'text' },
      providerOptions: { openai: { logit_bias: { '50256': -100 }, store: true } },
    });
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
    expect(warnings).toEqual([
      { type: 'unsupported-setting', setting: 'seed' },
      { type: 'unsupported-setting', setting: 'presencePenalty' },
      { type: 'unsupported-setting', setting: 'frequencyPenalty' },
    ]);
  });

  it('gives no warnings when every setting was sent', () => {
    expect(convertCall({ stopSequences: ['x'], user: 'u', maxOutputTokens: 10 }).warnings).toEqual([]);
  });

  it('converts tools, giving a tool without an input schema an empty object schema', () => {
    const inputSchema = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };
    const body = convert({
      tools: [
        { type: 'function', name: 'get_weather', description: 'Current weather', inputSchema },
        { type: 'function', name: 'get_time' },
      ],
    });
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Current weather', input_schema: inputSchema },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  const tools = [{ type: 'function', name: 'get_weather' }];
  it.each([
    [{ type: 'auto' }, undefined, { type: 'auto' }],
    [{ type: 'required' }, undefined, { type: 'any' }],
    [{ type: 'none' }, undefined, { type: 'none' }],
    [{ type: 'tool', toolName: 'get_weather' }, undefined, { type: 'tool', name: 'get_weather' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [{ type: 'required' }, false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'tool', toolName: 'get_weather' }, false, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true }],
    [{ type: 'none' }, false, { type: 'none' }],
    [undefined, true, undefined],
  ])('maps toolChoice %j with parallelToolCalls %j', (toolChoice, parallelToolCalls, expected) => {
    const body = convert({ tools, toolChoice, parallelToolCalls });
    expect(body.tool_choice).toEqual(expected);
  });

  it('drops toolChoice when no tools are sent', () => {
    expect(convert({ toolChoice: { type: 'none' } })).not.toHaveProperty('tool_choice');
    expect(convert({ tools: [], toolChoice: { type: 'required' } })).not.toHaveProperty('tool_choice');
  });

  it.each([
    ['any JSON', { type: 'json' }],
    ['JSON of a schema', { type: 'json', name: 'answer', schema: { type: 'object' } }],
  ])('refuses a responseFormat of %s', (_kind, responseFormat) => {
    const error = conversionError({ responseFormat });
    expect(error).toMatchObject({ code: 'unsupported_value', param: 'responseFormat', status: 400 });
    expect(error.message).toContain('not supported by Anthropic deployments');
  });
});
