import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

const ok = { model: 'oa/sim-small', messages: [{ role: 'user', content: 'hi' }] };

describe('bad input gets a 4xx in OpenAI envelope and the gateway keeps serving', () => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest('in-process', {});
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${gateway.server.url}/v1/chat/completions`, { method: 'POST', headers, body });

  const cases: Array<{ name: string; body: string; status: number; code: string; param: string | null; headers?: Record<string, string> }> = [
    { name: 'malformed JSON', body: '{"model": "x", "messages": [', status: 400, code: 'invalid_json', param: null },
    { name: 'empty body', body: '', status: 400, code: 'invalid_json', param: null },
    { name: 'a JSON array instead of an object', body: '[]', status: 400, code: 'invalid_type', param: null },
    { name: 'missing messages', body: JSON.stringify({ model: 'oa/sim-small' }), status: 400, code: 'missing_required_parameter', param: 'messages' },
    { name: 'missing model', body: JSON.stringify({ messages: ok.messages }), status: 400, code: 'missing_required_parameter', param: 'model' },
    { name: 'empty messages', body: JSON.stringify({ ...ok, messages: [] }), status: 400, code: 'invalid_value', param: 'messages' },
    { name: 'unknown role', body: JSON.stringify({ ...ok, messages: [{ role: 'wizard', content: 'hi' }] }), status: 400, code: 'invalid_value', param: 'messages[0].role' },
    { name: 'wrong content type', body: JSON.stringify({ ...ok, messages: [{ role: 'user', content: 42 }] }), status: 400, code: 'invalid_type', param: 'messages[0].content' },
    { name: 'unknown content part', body: JSON.stringify({ ...ok, messages: [{ role: 'user', content: [{ type: 'video', video: 'x' }] }] }), status: 400, code: 'invalid_value', param: 'messages[0].content[0].type' },
    { name: 'temperature as a string', body: JSON.stringify({ ...ok, temperature: 'hot' }), status: 400, code: 'invalid_type', param: 'temperature' },
    { name: 'temperature out of range', body: JSON.stringify({ ...ok, temperature: 3 }), status: 400, code: 'invalid_value', param: 'temperature' },
    { name: 'n greater than one', body: JSON.stringify({ ...ok, n: 2 }), status: 400, code: 'unsupported_value', param: 'n' },
    { name: 'an unknown field', body: JSON.stringify({ ...ok, frobnicate: true }), status: 400, code: 'unknown_parameter', param: 'frobnicate' },
    { name: 'tool call missing its id', body: JSON.stringify({ ...ok, messages: [{ role: 'tool', content: 'x' }] }), status: 400, code: 'missing_required_parameter', param: 'messages[0].tool_call_id' },
    { name: 'unknown model', body: JSON.stringify({ ...ok, model: 'no-such-model' }), status: 404, code: 'model_not_found', param: 'model' },
    { name: 'unknown deployment prefix', body: JSON.stringify({ ...ok, model: 'nope/sim-small' }), status: 404, code: 'model_not_found', param: 'model' },
    { name: 'oversized body', body: JSON.stringify({ ...ok, messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] }), status: 413, code: 'request_too_large', param: null },
    { name: 'wrong content type header', body: 'hello', status: 415, code: 'unsupported_media_type', param: null, headers: { 'content-type': 'text/plain' } },
  ];

  it.each(cases)('$name → $status $code', async ({ body, status, code, param, headers }) => {
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    const payload = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(payload)).toEqual(['error']);
    expect(payload.error).toMatchObject({ code, param });
    expect(typeof payload.error.message).toBe('string');
    expect(typeof payload.error.type).toBe('string');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const response = await fetch(`${gateway.server.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('counts rejected requests without putting client input in metric labels', async () => {
    const text = await (await fetch(`${gateway.server.url}/metrics`)).text();
    expect(text).toMatch(/ailb_chat_requests_total\{model="unknown",provider="none",stream="false",outcome="model_not_found"\} 2/);
    expect(text).toMatch(/ailb_chat_requests_total\{model="unknown",provider="none",stream="false",outcome="invalid_type"\} [1-9]/);
    expect(text).not.toContain('no-such-model');
  });

  it('is still serving after all of that', async () => {
    const response = await post(JSON.stringify(ok));
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(completion.choices[0]!.message.content).toBe('Hello from sim-small. You said: hi');
  });
});
