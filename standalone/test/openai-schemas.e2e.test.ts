import type { RouteConfig } from '@ailb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './support/openai-schemas.js';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * Every OpenAI-shaped answer validates against the schemas of OpenAI's published OpenAPI document
 * (support/openai-schemas.ts): completions, every stream chunk, errors (HTTP and in-band), models.
 */
const routes: RouteConfig[] = [{ model: 'alone', strategy: 'failover', targets: [{ provider: 'oa', model: 'sim-small', priority: 0, weight: 1 }], fallbacks: [] }];
const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }];

describe('responses validate against OpenAI’s OpenAPI schemas', () => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest('in-process', { routes });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const chunksOf = async (response: Response) =>
    (await response.text())
      .split('\n\n')
      .map((event) => event.trim().replace(/^data: /, ''))
      .filter((data) => data !== '' && data !== '[DONE]')
      .map((data) => JSON.parse(data) as unknown);

  it.each([
    ['a text answer', { model: 'oa/sim-small', messages: [{ role: 'user', content: 'hello there' }] }],
    ['an answer cut by max_tokens', { model: 'an/sim-small', max_tokens: 2, messages: [{ role: 'user', content: 'hello there' }] }],
    ['a tool call', { model: 'ol/sim-small', tools, messages: [{ role: 'user', content: 'find it' }] }],
  ])('a completion: %s', async (_name, body) => {
    const response = await post('/v1/chat/completions', body);
    expect(response.status).toBe(200);
    expect(violations('chatCompletion', await response.json())).toEqual([]);
  });

  it.each([
    ['text, with usage', { model: 'oa/sim-small', stream_options: { include_usage: true }, messages: [{ role: 'user', content: '[sim tokens=5]' }] }],
    ['text', { model: 'an/sim-small', messages: [{ role: 'user', content: '[sim tokens=5]' }] }],
    ['a tool call, with usage', { model: 'oa/sim-small', tools, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'find it' }] }],
  ])('every stream chunk: %s', async (_name, body) => {
    const chunks = await chunksOf(await post('/v1/chat/completions', { ...body, stream: true }));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.flatMap((chunk) => violations('chatCompletionChunk', chunk))).toEqual([]);
  });

  it('errors, answered before the stream and in-band after it started', async () => {
    const failures = [
      await post('/v1/chat/completions', '{"model":'),
      await post('/v1/chat/completions', { model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
      await post('/v1/chat/completions', { model: 'alone', messages: [] }),
      await post('/v1/chat/completions', 'x', { 'content-type': 'text/plain' }),
      await fetch(`${gateway.server.url}/v1/chat/completions`),
      await fetch(`${gateway.server.url}/v1/nothing-here`),
      await post('/v1/chat/completions', { model: 'alone', messages: [{ role: 'user', content: '[sim fault=500]' }] }),
    ];
    for (const response of failures) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(violations('errorResponse', await response.json())).toEqual([]);
    }
    const started = await post('/v1/chat/completions', { model: 'alone', stream: true, messages: [{ role: 'user', content: '[sim fault=cut after=2 tokens=10]' }] });
    expect(started.headers.get('content-type')).toContain('text/event-stream');
    const broken = await chunksOf(started);
    expect(broken.length).toBeGreaterThan(1);
    expect(violations('errorResponse', broken.at(-1))).toEqual([]);
    expect(broken.slice(0, -1).flatMap((chunk) => violations('chatCompletionChunk', chunk))).toEqual([]);
  });

  it('the model list and one model', async () => {
    const list = (await (await fetch(`${gateway.server.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(violations('modelList', list)).toEqual([]);
    expect(list.data.length).toBeGreaterThan(0);
    const one = await fetch(`${gateway.server.url}/v1/models/${encodeURIComponent(list.data[0]!.id)}`);
    expect(violations('model', await one.json())).toEqual([]);
  });

  it('the validators reject what the document forbids (a null system_fingerprint, a missing field)', async () => {
    const completion = (await (await post('/v1/chat/completions', { model: 'oa/sim-small', messages: [{ role: 'user', content: 'hi' }] })).json()) as Record<string, unknown>;
    expect(violations('chatCompletion', { ...completion, system_fingerprint: null })).not.toEqual([]);
    expect(violations('chatCompletion', { ...completion, created: undefined })).not.toEqual([]);
    expect(violations('errorResponse', { error: { message: 'm', type: 't', code: null } })).not.toEqual([]);
  });
});
