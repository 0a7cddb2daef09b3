import { randomUUID } from 'node:crypto';
import { chatReplyV1Schema, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, redisNames } from '@ailb/shared';
import { deletePrefix, randomPrefix, REDIS_URL, startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import { startRedisWorker, type RedisWorker } from '@ailb/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedProviders, testConfig } from './support/test-config.js';

/*
 * A rolling deploy: workers of this release take jobs from gateways of the previous release (chat job
 * version 1, an OpenAI body) and from gateways of a later one (version 3), on the same queue. Version 1
 * is served and answered in version-1 replies; anything a worker cannot read is refused on the job's
 * reply channel at once, never left for the client to wait out.
 */
describe('rolling deploy: a worker of this release on a queue shared with other versions', () => {
  let simulator: SimulatedProvider;
  let worker: RedisWorker;
  let queue: Queue;
  let subscriber: Redis;
  const prefix = randomPrefix();
  const replyTo = redisNames(prefix).replyChannel('gateway-of-another-release');
  const inbox = new Map<string, Array<Record<string, unknown>>>();
  const waiters = new Map<string, () => void>();

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    const config = testConfig({ providers: simulatedProviders(simulator.url), redis: { url: REDIS_URL, prefix } });
    worker = await startRedisWorker(config, pino({ level: 'silent' }));
    queue = new Queue('chat', { connection: { url: REDIS_URL }, prefix });
    subscriber = new Redis(REDIS_URL);
    subscriber.on('message', (_channel: string, text: string) => {
      const message = JSON.parse(text) as Record<string, unknown>;
      const jobId = String(message.jobId);
      inbox.set(jobId, [...(inbox.get(jobId) ?? []), message]);
      if (['result', 'end', 'error'].includes(String(message.kind))) waiters.get(jobId)?.();
    });
    await subscriber.subscribe(replyTo);
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await subscriber?.quit();
    await simulator?.close();
    await deletePrefix(prefix);
  });

  /** Enqueues a job as another release's gateway would, and collects its replies up to the last. */
  async function exchange(job: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const jobId = String(job.jobId);
    const done = new Promise<void>((resolve) => waiters.set(jobId, resolve));
    await queue.add('chat', job, { jobId });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`no final reply for ${jobId}`)), 10_000))]);
    return inbox.get(jobId) ?? [];
  }

  const jobV1 = (content: string, stream: boolean, extra: Record<string, unknown> = {}) => ({
    version: 1,
    jobId: randomUUID(),
    requestId: 'req_previous_release',
    replyTo,
    deadlineAt: Date.now() + 10_000,
    enqueuedAt: Date.now(),
    stream,
    priority: 'normal',
    request: { model: 'oa/sim-small', messages: [{ role: 'user', content }], ...extra },
    extensions: {},
    plan: { requestedModel: 'oa/sim-small', strategy: 'failover', targets: [{ provider: 'oa', model: 'sim-small', timeouts: DEFAULT_TIMEOUTS }], retries: DEFAULT_RETRIES },
  });

  it('serves a version-1 job and answers in version-1 replies (non-streaming)', async () => {
    const replies = await exchange(jobV1('What is AILB?', false));
    for (const reply of replies) expect(chatReplyV1Schema.safeParse(reply).success).toBe(true);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      kind: 'result',
      seq: 0,
      result: { model: 'sim-small', content: 'Hello from sim-small. You said: What is AILB?', toolCalls: [], finishReason: { unified: 'stop' }, usage: { promptTokens: 3, completionTokens: 8 } },
    });
  });

  it('streams a version-1 job as start, parts and end, with seq numbers a version-1 gateway checks', async () => {
    const replies = await exchange(jobV1('What is AILB?', true));
    for (const reply of replies) expect(chatReplyV1Schema.safeParse(reply).success).toBe(true);
    expect(replies.map((reply) => reply.seq)).toEqual(replies.map((_, index) => index));
    expect(replies[0]).toMatchObject({ kind: 'start', servedBy: { provider: 'oa', model: 'sim-small' } });
    expect(replies.at(-1)).toMatchObject({ kind: 'end' });
    const parts = replies.flatMap((reply) => (reply.kind === 'parts' ? (reply.parts as Array<Record<string, unknown>>) : []));
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta).join('')).toBe('Hello from sim-small. You said: What is AILB?');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
  });

  it('streams a version-1 tool call with version-1 indexes', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const replies = await exchange(jobV1('Weather in Paris', true, { tools }));
    for (const reply of replies) expect(chatReplyV1Schema.safeParse(reply).success).toBe(true);
    const parts = replies.flatMap((reply) => (reply.kind === 'parts' ? (reply.parts as Array<Record<string, unknown>>) : []));
    expect(parts.find((part) => part.type === 'tool-call-start')).toMatchObject({ index: 0, name: 'get_weather' });
    expect(JSON.parse(parts.filter((part) => part.type === 'tool-call-delta').map((part) => part.argumentsDelta).join(''))).toEqual({ query: 'Weather in Paris' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool_calls' } });
  });

  it('refuses a job of a later version at once, on its reply channel, with a retryable catalog error', async () => {
    const later = { ...jobV1('hi', false), version: 3, call: { whatever: true } };
    const replies = await exchange(later);
    expect(replies).toEqual([{ kind: 'error', jobId: later.jobId, seq: 0, attempts: [], error: expect.objectContaining({ code: 'job_version_unsupported', retryAfterMs: 1000 }) }]);
    expect(String((replies[0]!.error as { message: string }).message)).toMatch(/version 1 and 2, not 3/);
  });

  it('refuses a job it cannot decode instead of dropping it', async () => {
    const broken = { version: 2, jobId: randomUUID(), replyTo, deadlineAt: Date.now() + 10_000, stream: false };
    const replies = await exchange(broken);
    expect(replies).toEqual([{ kind: 'error', jobId: broken.jobId, seq: 0, attempts: [], error: expect.objectContaining({ code: 'job_invalid' }) }]);
  });
});
