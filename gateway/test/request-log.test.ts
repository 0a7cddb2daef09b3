import { Writable } from 'node:stream';
import { hashApiKey, type AppConfig, type ChatReply, type JobContext } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport, LOG_REDACT_PATHS } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@ailb/testkit';
import { buildApp } from '../src/app.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * The one log line per request, the models a key sees, and the tenant scope of routing traces, through
 * app.inject() on a gateway whose logger writes pino's JSON (with the production redact paths) into an
 * array, and a stand-in worker on the in-process transport that answers as each test scripts.
 */

const MASTER = 'master-key-0123456789abcdef';
const SECRET_A = 'tenant-a-secret-0123456789';
const SECRET_B = 'tenant-b-secret-0123456789';
const PROMPT_SECRET = ['sk-proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'].join('');
const served = { provider: 'p', model: 'gpt-4o-mini', upstreamMs: 1 };
const usage = { inputTokens: 10, outputTokens: 20, totalTokens: 30 };

type Worker = (context: JobContext<'chat'>) => Promise<void>;
const answer: Worker = (context) =>
  context.reply({ kind: 'result', servedBy: served, attempts: [{ provider: 'p', model: 'gpt-4o-mini', outcome: 'success', durationMs: 1 }], result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, response: { modelId: 'gpt-4o-mini' } } });

let worker: Worker = answer;
let lines: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  worker = answer;
});

async function gateway(level: 'info' | 'debug', overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  lines = [];
  const transport = new InProcessTransport(pino({ level: 'silent' }));
  const config = testAppConfig({ providers: [{ id: 'p', type: 'openai', models: ['gpt-4o-mini', 'm2'], default_max_tokens: 4096 }], ...overrides });
  const state = new InMemoryClusterState(config.routing);
  await transport.consumer.consume('chat', (context: JobContext<'chat'>) => worker(context), 4);
  await state.heartbeat('worker', 'worker-1');
  const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const logger = pino({ level, redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' } }, sink);
  const app = await buildApp({ config, producer: transport.producer, state, traces: new InMemoryTraceStore(), logger });
  cleanups.push(() => transport.consumer.close(), () => app.close());
  return app;
}

const keyed = (models: string[] | null = null): Partial<AppConfig> => ({
  auth: {
    protectOps: false,
    masterKey: MASTER,
    keys: [
      { id: 'ka', name: 'a', tenant: 'tenant-a', models, limits: null, hash: hashApiKey(SECRET_A) },
      { id: 'kb', name: 'b', tenant: 'tenant-b', models: null, limits: null, hash: hashApiKey(SECRET_B) },
    ],
  } as AppConfig['auth'],
});

const chat = (app: FastifyInstance, headers: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: '/v1/chat/completions?x=1', headers: { 'content-type': 'application/json', ...headers }, payload: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body } });

type Line = Record<string, unknown>;
const completed = (): Line[] => lines.map((line) => JSON.parse(line) as Line).filter((line) => line.msg === 'request completed');
/** Waits for the chat line (written once the ledger priced the request), then returns every request line. */
const settled = async (count: number): Promise<Line[]> => {
  await eventually(() => expect(completed()).toHaveLength(count));
  // Exactly: no second line for the same request turns up a moment later.
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(completed()).toHaveLength(count);
  return completed();
};

describe('one log line per request', () => {
  it('a chat request: one info line with who, what, the target, tokens and cost; never the key', async () => {
    const app = await gateway('info', keyed());
    const response = await chat(app, { authorization: `Bearer ${SECRET_A}` });
    expect(response.statusCode).toBe(200);
    const [line] = await settled(1);
    expect(line).toMatchObject({ level: 30, requestId: response.headers['x-request-id'], keyId: 'ka', tenant: 'tenant-a', method: 'POST', route: '/v1/chat/completions', status: 200, model: 'gpt-4o-mini', target: 'p/gpt-4o-mini', attempts: 1, stream: false, inputTokens: 10, outputTokens: 20, outcome: 'success' });
    expect(line!.latencyMs).toEqual(expect.any(Number));
    expect(line!.costUsd).toBeGreaterThan(0);
    expect(line).not.toHaveProperty('plan');
    expect(line).not.toHaveProperty('headers');
    expect(lines.join('\n')).not.toContain(SECRET_A);
  });

  it('a failed-over request: attempts 2 and the target that served', async () => {
    const app = await gateway('info');
    worker = (context) =>
      context.reply({ kind: 'result', servedBy: served, attempts: [{ provider: 'q', model: 'x', outcome: 'upstream_unreachable', durationMs: 3 }, { provider: 'p', model: 'gpt-4o-mini', outcome: 'success', durationMs: 1 }], result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, response: { modelId: 'gpt-4o-mini' } } });
    await chat(app);
    const [line] = await settled(1);
    expect(line).toMatchObject({ keyId: null, tenant: 'default', attempts: 2, target: 'p/gpt-4o-mini', outcome: 'success' });
  });

  it('a stream: logged after its end with its tokens; an in-band error is status 200 with its outcome', async () => {
    const app = await gateway('info');
    worker = async (context) => {
      await context.reply({ kind: 'stream', start: { servedBy: served, attempts: [{ provider: 'p', model: 'gpt-4o-mini', outcome: 'success', durationMs: 1 }] }, parts: [{ type: 'text-delta', id: 't', delta: 'Hel' }] } as ChatReply);
      await context.reply({ kind: 'stream', parts: [{ type: 'text-delta', id: 't', delta: 'lo' }, { type: 'text-end', id: 't' }, { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage }], end: true } as ChatReply);
    };
    await chat(app, {}, { stream: true });
    expect((await settled(1))[0]).toMatchObject({ stream: true, status: 200, outcome: 'success', inputTokens: 10, outputTokens: 20, target: 'p/gpt-4o-mini' });
    worker = async (context) => {
      await context.reply({ kind: 'stream', start: { servedBy: served, attempts: [{ provider: 'p', model: 'gpt-4o-mini', outcome: 'success', durationMs: 1 }] }, parts: [{ type: 'text-delta', id: 't', delta: 'Hel' }] } as ChatReply);
      await context.reply({ kind: 'stream', parts: [{ type: 'error', error: { code: 'upstream_unreachable', message: 'gone', provider: 'p' } }], end: true } as ChatReply);
    };
    await chat(app, {}, { stream: true });
    expect((await settled(2))[1]).toMatchObject({ stream: true, status: 200, outcome: 'upstream_unreachable' });
  });

  it('a 401 and a 404 each log one line (route null for no route, never the raw URL)', async () => {
    const app = await gateway('info', keyed());
    expect((await chat(app, { authorization: 'Bearer wrong-key-0123456789' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/nowhere/123?q=1' })).statusCode).toBe(404);
    const [unauthorized, missing] = await settled(2);
    expect(unauthorized).toMatchObject({ status: 401, keyId: null, route: '/v1/chat/completions', method: 'POST' });
    expect(missing).toMatchObject({ status: 404, route: null, method: 'GET' });
    expect(lines.join('\n')).not.toContain('wrong-key-0123456789');
  });

  it('over a real socket too: one line per request, a stream’s after its end', async () => {
    const app = await gateway('info');
    worker = async (context) => {
      await context.reply({ kind: 'stream', start: { servedBy: served, attempts: [{ provider: 'p', model: 'gpt-4o-mini', outcome: 'success', durationMs: 1 }] }, parts: [{ type: 'text-delta', id: 't', delta: 'Hel' }] } as ChatReply);
      await context.reply({ kind: 'stream', parts: [{ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage }], end: true } as ChatReply);
    };
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${base}/v1/models`)).status).toBe(200);
    const streamed = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    await streamed.text();
    const [models, chatLine] = await settled(2);
    expect(models).toMatchObject({ route: '/v1/models', status: 200 });
    expect(chatLine).toMatchObject({ route: '/v1/chat/completions', stream: true, status: 200, outcome: 'success', target: 'p/gpt-4o-mini', outputTokens: 20 });
  });

  it('probes log at debug only', async () => {
    const app = await gateway('info');
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/v1/models' });
    expect((await settled(1))[0]).toMatchObject({ route: '/v1/models' });
    const debug = await gateway('debug');
    await debug.inject({ method: 'GET', url: '/healthz' });
    expect((await settled(1))[0]).toMatchObject({ level: 20, route: '/healthz', status: 200 });
  });

  it('a credential in the prompt under scan policy log: the finding kind is logged, the secret nowhere', async () => {
    const app = await gateway('info', { scanning: { policy: 'log' } });
    expect((await chat(app, {}, { messages: [{ role: 'user', content: `my key is ${PROMPT_SECRET}` }] })).statusCode).toBe(200);
    await settled(1);
    const findings = lines.map((line) => JSON.parse(line) as { scan?: { findings: Array<{ kind: string }> } }).find((line) => line.scan);
    expect(findings!.scan!.findings.map((finding) => finding.kind)).toContain('credential');
    expect(lines.join('\n')).not.toContain(PROMPT_SECRET);
  });

  it('LOG_LEVEL=debug adds the plan, each attempt and the headers, credentials redacted', async () => {
    const app = await gateway('debug', keyed());
    await chat(app, { 'x-api-key': SECRET_A });
    const [line] = await settled(1);
    expect(line).toMatchObject({ plan: { strategy: 'failover', candidates: ['p/gpt-4o-mini'], excluded: [] }, attemptDetails: [{ target: 'p/gpt-4o-mini', outcome: 'success', durationMs: 1 }] });
    expect((line!.headers as Record<string, string>)['x-api-key']).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain(SECRET_A);
  });
});

describe('GET /v1/models for a key limited to some models', () => {
  it('lists only the key’s models; another is 404 model_not_found in OpenAI’s shape', async () => {
    const app = await gateway('info', keyed(['m2']));
    const listed = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${SECRET_A}` } });
    expect(listed.json().data.map((model: { id: string }) => model.id)).toEqual(['m2']);
    const unlimited = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${SECRET_B}` } });
    expect(unlimited.json().data.map((model: { id: string }) => model.id)).toEqual(expect.arrayContaining(['gpt-4o-mini', 'm2']));
    const one = await app.inject({ method: 'GET', url: '/v1/models/m2', headers: { authorization: `Bearer ${SECRET_A}` } });
    expect(one.json()).toEqual({ id: 'm2', object: 'model', created: expect.any(Number), owned_by: 'p' });
    const hidden = await app.inject({ method: 'GET', url: '/v1/models/gpt-4o-mini', headers: { authorization: `Bearer ${SECRET_A}` } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual({ error: { message: "The model 'gpt-4o-mini' does not exist or you do not have access to it.", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
    expect((await app.inject({ method: 'GET', url: '/v1/models/p/gpt-4o-mini', headers: { authorization: `Bearer ${SECRET_B}` } })).statusCode).toBe(200);
  });
});

describe('routing traces scoped to the tenant', () => {
  it('a key reads its own tenant’s traces only; the master key reads all; no key is 401', async () => {
    const app = await gateway('info', keyed());
    const a = await chat(app, { authorization: `Bearer ${SECRET_A}`, 'x-ailb-trace': '1' });
    const id = a.headers['x-request-id'] as string;
    const trace = (key?: string) => app.inject({ method: 'GET', url: `/api/routing/trace/${id}`, headers: key ? { authorization: `Bearer ${key}` } : {} });
    await eventually(async () => expect((await trace(MASTER)).statusCode).toBe(200));
    expect((await trace(MASTER)).json()).toMatchObject({ request_id: id, tenant: 'tenant-a', key_id: 'ka' });
    expect((await trace(SECRET_A)).statusCode).toBe(200);
    const other = await trace(SECRET_B);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    expect((await trace()).statusCode).toBe(401);
  });

  it('an open gateway reads every trace, recorded as the default tenant', async () => {
    const app = await gateway('info');
    const id = (await chat(app, { 'x-ailb-trace': '1' })).headers['x-request-id'] as string;
    await eventually(async () => expect((await app.inject({ method: 'GET', url: `/api/routing/trace/${id}` })).json()).toMatchObject({ tenant: 'default', key_id: null }));
  });
});
