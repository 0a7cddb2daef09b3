import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type ChatJob, type JobContext, type StreamPart } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * The OpenAI route group and the pipeline behind it, through app.inject(): no socket, and a stand-in
 * worker on the in-process transport that answers as the test says.
 */
const config = testAppConfig({ routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: DEFAULT_RETRIES, circuit: { ...DEFAULT_CIRCUIT, failureThreshold: 1, cooldownMs: 1000 }, ewmaAlpha: 0.1 } });

type Worker = (context: JobContext<'chat'>) => Promise<void>;

let app: FastifyInstance;
let state: InMemoryClusterState;
let transport: InProcessTransport;
let worker: Worker;
let jobs: ChatJob[];

beforeEach(async () => {
  transport = new InProcessTransport(pino({ level: 'silent' }));
  state = new InMemoryClusterState(config.routing);
  jobs = [];
  await transport.consumer.consume('chat', (context) => {
    jobs.push(context.job);
    return worker(context);
  }, 4);
  await state.heartbeat('worker', 'worker-1');
  app = await buildApp({ config, producer: transport.producer, state, traces: new InMemoryTraceStore(), logger: pino({ level: 'silent' }) });
});
afterEach(async () => {
  await app.close();
  await transport.consumer.close();
});

const served = { provider: 'p', model: 'm-2024', upstreamMs: 2 };
const attempts = [{ provider: 'p', model: 'm', outcome: 'success', durationMs: 2 }];
const ask = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }) });
const events = (body: string) => body.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));

describe('POST /v1/chat/completions', () => {
  it('sends the decoded spec call to a worker and encodes its result as a chat.completion', async () => {
    worker = (context) =>
      context.reply({ kind: 'result', servedBy: served, attempts, result: { content: [{ type: 'text', text: 'Hello' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, response: { modelId: 'm-2024' } } });
    const response = await ask({ temperature: 0.5 }, { 'x-request-id': 'trace-me' });
    expect(response.statusCode).toBe(200);
    expect(jobs[0]!.call).toEqual({ specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], temperature: 0.5 });
    expect(response.json()).toMatchObject({ object: 'chat.completion', model: 'm-2024', choices: [{ message: { content: 'Hello' }, finish_reason: 'stop' }], usage: { total_tokens: 2 } });
    expect(response.headers).toMatchObject({ 'x-request-id': 'trace-me', 'x-ailb-provider': 'p', 'x-ailb-route': 'strategy=failover; target=p/m; attempts=1', 'x-ailb-attempts': 'p/m=success;2ms' });
    expect(Number(response.headers['x-ailb-overhead-ms'])).toBeGreaterThanOrEqual(0);
  });

  it('reports as overhead the time the request took minus what the worker timed as upstream', async () => {
    const result = { content: [{ type: 'text' as const, text: 'Hi' }], finishReason: { unified: 'stop' as const, raw: 'stop' }, usage: null, response: { modelId: 'm' } };
    const slowWorker = (upstreamMs: number): Worker => async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await context.reply({ kind: 'result', servedBy: { ...served, upstreamMs }, attempts, result });
    };
    worker = slowWorker(150);
    const upstreamCounted = Number((await ask({})).headers['x-ailb-overhead-ms']);
    worker = slowWorker(0);
    const upstreamNotCounted = Number((await ask({})).headers['x-ailb-overhead-ms']);
    expect(upstreamCounted).toBeGreaterThanOrEqual(0);
    expect(upstreamCounted).toBeLessThan(100);
    expect(upstreamNotCounted).toBeGreaterThanOrEqual(150);
  });

  it('streams the worker’s parts as OpenAI chunks, with usage when asked, ending with [DONE]', async () => {
    const parts: StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'response-metadata', modelId: 'm-2024' }, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'Hel' }];
    worker = async (context) => {
      await context.reply({ kind: 'stream', start: { servedBy: served, attempts }, parts });
      await context.reply({ kind: 'stream', parts: [{ type: 'text-delta', id: 't', delta: 'lo' }, { type: 'text-end', id: 't' }, { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }], end: true });
    };
    const response = await ask({ stream: true, stream_options: { include_usage: true } });
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const data = events(response.body);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((event) => JSON.parse(event) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage: unknown });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  });

  it('tells the client, in its own field names, what the serving deployment did not send', async () => {
    worker = (context) =>
      context.reply({ kind: 'result', servedBy: served, attempts, result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: null }, usage: null, response: { modelId: 'm' }, warnings: [{ type: 'unsupported-setting', setting: 'topP' }, { type: 'unsupported-setting', setting: 'seed' }] } });
    const response = await ask({ top_p: 0.5, seed: 1 });
    expect(response.headers['x-ailb-warnings']).toBe('unsupported-setting:top_p, unsupported-setting:seed');
  });

  it('ends a stream that broke after it started with one error event and no [DONE]', async () => {
    worker = async (context) => {
      await context.reply({ kind: 'stream', start: { servedBy: served, attempts }, parts: [{ type: 'text-delta', id: 't', delta: 'Hel' }] });
      await context.reply({ kind: 'stream', parts: [{ type: 'error', error: { code: 'upstream_unreachable', message: 'Provider p could not be reached', provider: 'p' } }], end: true });
    };
    const data = events((await ask({ stream: true })).body);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!)).toEqual({ error: { message: 'Provider p could not be reached', type: 'api_error', param: null, code: 'upstream_unreachable' } });
  });

  it('names the client’s own field when a worker refuses part of the spec call', async () => {
    worker = (context) => context.reply({ kind: 'error', attempts: [{ provider: 'p', model: 'm', outcome: 'unsupported_value', durationMs: 0 }], error: { code: 'unsupported_value', message: 'Ollama accepts images only as data URLs.', param: 'prompt[0].content[1]', provider: 'p' } });
    const response = await ask({ messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { message: 'Ollama accepts images only as data URLs.', type: 'invalid_request_error', param: 'messages[0].content[1]', code: 'unsupported_value' } });
    expect(response.headers['x-ailb-route']).toBe('strategy=failover; target=none; attempts=1');
  });

  it('refuses bad input before anything is planned or sent', async () => {
    worker = () => Promise.reject(new Error('must not run'));
    expect((await ask({ frobnicate: 1 })).json()).toMatchObject({ error: { code: 'unknown_parameter', param: 'frobnicate' } });
    expect((await ask({ model: 'nope' })).statusCode).toBe(404);
    expect((await ask({}, { 'x-ailb-priority': 'urgent' })).json()).toMatchObject({ error: { code: 'invalid_value', param: 'x-ailb-priority' } });
    expect(jobs).toHaveLength(0);
  });

  it('gives back a half-open circuit’s probe when the request fails before dispatch', async () => {
    worker = () => Promise.reject(new Error('must not run'));
    await state.recordFailure({ provider: 'p', model: 'm' }, undefined, Date.now() - 2000);
    await state.deregister('worker', 'worker-1');
    const refused = await ask({});
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'no_worker_available' } });
    // The probe is free again: the next request (of any gateway) may test the target at once.
    expect(await state.claimProbe('p/m', 'another-request', 1000)).toBe(true);
  });
});

describe('the route table', () => {
  it('serves a route added while running, on the next request', async () => {
    worker = (context) => context.reply({ kind: 'result', servedBy: served, attempts, result: { content: [{ type: 'text', text: 'late' }], finishReason: { unified: 'stop', raw: null }, usage: null, response: { modelId: 'm' } } });
    expect((await ask({ model: 'late-route' })).statusCode).toBe(404);
    app.routeTable.upsert({ model: 'late-route', targets: [{ provider: 'p', model: 'm', priority: 0, weight: 1 }], fallbacks: [] });
    expect((await ask({ model: 'late-route' })).json()).toMatchObject({ choices: [{ message: { content: 'late' } }] });
    const models = (await app.inject({ method: 'GET', url: '/v1/models' })).json() as { data: Array<{ id: string; owned_by: string }> };
    expect(models.data).toContainEqual({ id: 'late-route', object: 'model', created: expect.any(Number), owned_by: 'ailb' });
  });
});

describe('routing traces', () => {
  const trace = async (id: string) => (await app.inject({ method: 'GET', url: `/api/routing/trace/${id}` })).statusCode;

  it('keeps failures and what a client asks for, and only a sample of plain successes', async () => {
    worker = (context) => context.reply({ kind: 'result', servedBy: served, attempts, result: { content: [], finishReason: { unified: 'stop', raw: null }, usage: null, response: { modelId: 'm' } } });
    await ask({}, { 'x-request-id': 'plain' });
    await ask({}, { 'x-request-id': 'asked', 'x-ailb-trace': '1' });
    worker = (context) => context.reply({ kind: 'error', attempts: [{ provider: 'p', model: 'm', outcome: 'upstream_error', durationMs: 1 }], error: { code: 'upstream_error', message: 'Provider p returned HTTP 500', provider: 'p' } });
    await ask({}, { 'x-request-id': 'failed' });
    await new Promise((resolve) => setImmediate(resolve));
    // The sample rate of this app is 0: a plain success leaves no trace.
    expect([await trace('plain'), await trace('asked'), await trace('failed')]).toEqual([404, 200, 200]);
  });
});

