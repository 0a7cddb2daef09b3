import { parseRateLimitRule, type JobContext, type RateLimitRule, type RateLimitRuleInput, type RateLimitStore } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport, RedisRateLimitStore } from '@ailb/shared/runtime';
import { deletePrefix, randomPrefix, REDIS_URL } from '@ailb/testkit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * Rate limits at the edge, through app.inject(): rules from the config file and from the control
 * plane, the 429 in OpenAI's envelope with its headers, model and client-address rules, the cost of a
 * request no rule applies to (no store command at all), and what happens when the store fails.
 */
const rule = (input: RateLimitRuleInput): RateLimitRule => {
  const parsed = parseRateLimitRule(input);
  if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
  return parsed.rule;
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway over the in-process transport with a worker that answers every chat at once. */
async function gateway(options: { configRules?: RateLimitRule[]; store?: RateLimitStore } = {}): Promise<FastifyInstance> {
  const logger = pino({ level: 'silent' });
  const transport = new InProcessTransport(logger);
  const state = new InMemoryClusterState(testAppConfig().routing);
  await transport.consumer.consume(
    'chat',
    async (context: JobContext<'chat'>) => {
      const servedBy = { provider: 'p', model: 'm', upstreamMs: 1 };
      const attempts = [{ provider: 'p', model: 'm', outcome: 'success' as const, durationMs: 1 }];
      if (context.job.stream) {
        await context.reply({ kind: 'stream', start: { servedBy, attempts }, parts: [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'ok' }] });
        await context.reply({ kind: 'stream', parts: [{ type: 'text-end', id: 't' }, { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: null }], end: true });
      } else {
        await context.reply({ kind: 'result', servedBy, attempts, result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: null, response: { modelId: 'm' } } });
      }
    },
    4,
  );
  await state.heartbeat('worker', 'worker-1');
  const config = testAppConfig({ rateLimits: options.configRules ?? [] });
  const app = await buildApp({ config, producer: transport.producer, state, traces: new InMemoryTraceStore(), logger, ...(options.store ? { rateLimits: options.store } : {}) });
  cleanups.push(() => transport.consumer.close(), () => app.close());
  return app;
}

const chat = (app: FastifyInstance, options: { model?: string; from?: string; stream?: boolean } = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    remoteAddress: options.from ?? '127.0.0.1',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ model: options.model ?? 'm', messages: [{ role: 'user', content: 'hi' }], stream: options.stream ?? false }),
  });

const until = async (check: () => Promise<boolean>, ms = 2000) => {
  for (const deadline = Date.now() + ms; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('rate limits at the edge', () => {
  it('refuses the request over a model limit with 429 rate_limit_exceeded in OpenAI’s envelope and its headers', async () => {
    const app = await gateway({ configRules: [rule({ id: 'm-per-minute', target: 'model:m', perMinute: 2, metadata: { source: 'config' } })] });
    const [first, second, third] = [await chat(app), await chat(app), await chat(app)];
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 429]);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1' });
    expect(second.headers['x-ratelimit-remaining-requests']).toBe('0');
    // A full bucket is 2 tokens refilled at one per 30 s: reset (to full) is about a minute away.
    expect(second.headers['x-ratelimit-reset-requests']).toMatch(/^(59\.\d+s|1m0s)$/);
    expect(third.json()).toEqual({
      error: { message: expect.stringMatching(/^Rate limit reached for requests: rule "m-per-minute" allows 2 per minute\. Please try again in (2\d(\.\d+)?s|30s)\.$/), type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
    expect(third.headers).toMatchObject({ 'retry-after': '30', 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '0' });
    expect(third.headers['x-ratelimit-reset-requests']).toMatch(/^(59\.\d+s|1m0s)$/);
    // Another model is not limited by the rule (here: not served either, so a 404, not a 429).
    const other = await chat(app, { model: 'another' });
    expect(other.statusCode).toBe(404);
    expect(other.headers['x-ratelimit-limit-requests']).toBeUndefined();
  });

  it('sets the headers on a streamed answer too', async () => {
    const app = await gateway({ configRules: [rule({ id: 'all', target: '*', perHour: 100 })] });
    const response = await chat(app, { stream: true });
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers).toMatchObject({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '99' });
  });

  it('limits a client address, whichever way the socket writes it, and no other', async () => {
    const app = await gateway({ configRules: [rule({ id: 'one-client', target: 'ip:10.1.2.3', perMinute: 1 })] });
    expect((await chat(app, { from: '10.1.2.3' })).statusCode).toBe(200);
    expect((await chat(app, { from: '10.1.2.3' })).statusCode).toBe(429);
    // A dual-stack socket reports the same client as an IPv4-mapped IPv6 address: the same bucket.
    expect((await chat(app, { from: '::ffff:10.1.2.3' })).statusCode).toBe(429);
    const other = await chat(app, { from: '10.9.9.9' });
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-limit-requests']).toBeUndefined();
  });

  it('applies control-plane rules to every /v1 request, with a burst on top of the per-second rate, until removed', async () => {
    const app = await gateway();
    await app.rateLimits.set(rule({ id: 'everything', target: '*', perSecond: 1, burst: 1 }));
    await until(async () => !app.rateLimits.index.empty);
    const models = () => app.inject({ method: 'GET', url: '/v1/models' });
    const statuses = [(await chat(app)).statusCode, (await models()).statusCode, (await models()).statusCode];
    expect(statuses).toEqual([200, 200, 429]);
    // Operational routes are outside /v1 and never limited.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).headers['x-ratelimit-limit-requests']).toBeUndefined();
    expect(await app.rateLimits.remove('everything')).toBe('removed');
    await until(async () => (await models()).statusCode === 200);
    expect((await models()).headers['x-ratelimit-limit-requests']).toBeUndefined();
  });

  it('lets a control-plane rule override a config rule of its id, and restores the config rule when it goes', async () => {
    const app = await gateway({ configRules: [rule({ id: 'shared-id', target: '*', perMinute: 1, metadata: { source: 'config' } })] });
    expect(await app.rateLimits.remove('shared-id')).toBe('config-only');
    expect(await app.rateLimits.set(rule({ id: 'shared-id', target: '*', perMinute: 50 }))).toEqual({ created: true, overridesConfig: true });
    await until(async () => (await chat(app)).headers['x-ratelimit-limit-requests'] === '50');
    expect(await app.rateLimits.list()).toEqual([expect.objectContaining({ id: 'shared-id', perMinute: 50, metadata: { source: 'grpc', overrides: 'config' } })]);
    expect(await app.rateLimits.remove('shared-id')).toBe('config-restored');
    await until(async () => (await chat(app)).headers['x-ratelimit-limit-requests'] === '1');
    expect(await app.rateLimits.list()).toEqual([expect.objectContaining({ id: 'shared-id', perMinute: 1, metadata: { source: 'config' } })]);
  });
});

describe('rate limits over Redis', () => {
  /** Every command MONITOR sees that touches `prefix`. */
  async function watch(prefix: string) {
    const client = new Redis(REDIS_URL);
    const monitor = await client.monitor();
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => arg.includes(prefix))) seen.push(args.join(' '));
    });
    cleanups.push(async () => client.disconnect(), async () => monitor.disconnect());
    /** Resolves once MONITOR has shown everything sent before the call (it shows commands in order). */
    const caughtUp = async () => {
      const marker = `${prefix}:caught-up:${seen.length}`;
      await client.echo(marker);
      await until(async () => seen.includes(`echo ${marker}`));
      seen.splice(seen.indexOf(`echo ${marker}`), 1);
    };
    return { seen, caughtUp };
  }

  it('sends no Redis command for a request no rule applies to, and one script run for one that a rule does', async () => {
    const prefix = randomPrefix();
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => deletePrefix(prefix), () => redis.quit());
    const app = await gateway({ store: new RedisRateLimitStore(redis, prefix), configRules: [rule({ id: 'elsewhere', target: 'ip:10.0.0.99', perMinute: 5 })] });
    const { seen, caughtUp } = await watch(prefix);
    for (let index = 0; index < 5; index += 1) expect((await chat(app)).statusCode).toBe(200);
    await caughtUp();
    expect(seen).toEqual([]);
    // The same watch sees requests a rule applies to: one script call each (the commands the script
    // runs inside Redis show up too). ioredis sends the script's text once, then only its SHA.
    const scriptCalls = () => seen.splice(0).filter((command) => /^eval(sha)? /i.test(command));
    expect((await chat(app, { from: '10.0.0.99' })).statusCode).toBe(200);
    await caughtUp();
    expect(scriptCalls()).toHaveLength(1);
    expect((await chat(app, { from: '10.0.0.99' })).statusCode).toBe(200);
    await caughtUp();
    expect(scriptCalls()).toEqual([expect.stringMatching(/^evalsha [0-9a-f]{40} 1 \S+:rl:elsewhere:minute /i)]);
  });

  it('lets requests through when the store fails (fail-open), and counts the failures', async () => {
    const prefix = randomPrefix();
    const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    cleanups.push(() => deletePrefix(prefix), async () => redis.disconnect());
    await new Promise((resolve) => redis.once('ready', resolve));
    const app = await gateway({ store: new RedisRateLimitStore(redis, prefix), configRules: [rule({ id: 'tight', target: '*', perMinute: 1 })] });
    expect((await chat(app)).statusCode).toBe(200);
    expect((await chat(app)).statusCode).toBe(429);
    redis.disconnect();
    const response = await chat(app);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit-requests']).toBeUndefined();
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/ailb_rate_limit_decisions_total\{outcome="error"\} 1\b/);
    expect(metrics).toMatch(/ailb_rate_limit_decisions_total\{outcome="limited"\} 1\b/);
  });
});
