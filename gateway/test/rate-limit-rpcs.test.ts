import { parseRateLimitRule, type RateLimitRule } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport, RedisRateLimitStore } from '@ailb/shared/runtime';
import { createModuleServiceClient, deletePrefix, randomPrefix, REDIS_URL, eventually, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { Redis } from 'ioredis';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/start-gateway.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * GetRateLimits, SetRateLimit and RemoveRateLimit over a real gRPC socket, with a client built only
 * from the .proto files: the mapping of MarchProxy's RateLimit, validation naming the field, the
 * config-file rules and their overrides, and what each call does to what a chat request meets.
 */
const fromConfig = (() => {
  const parsed = parseRateLimitRule({ id: 'from-config', target: 'model:m', perMinute: 60, metadata: { source: 'config', team: 'ops' } });
  if ('issues' in parsed) throw new Error('bad test rule');
  return parsed.rule satisfies RateLimitRule;
})();


describe('rate-limit RPCs', () => {
  let gateway: RunningGateway;
  let client: ModuleServiceTestClient;
  let transport: InProcessTransport;

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    transport = new InProcessTransport(logger);
    const config = testAppConfig({ rateLimits: [fromConfig] });
    gateway = await startGateway(config, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore() });
    client = createModuleServiceClient(gateway.grpcAddress);
  });
  afterAll(async () => {
    client?.close();
    await gateway?.close();
    await transport?.consumer.close();
  });

  it('lists config-file rules in MarchProxy’s RateLimit shape', async () => {
    expect(await client.GetRateLimits({})).toEqual({
      total_limits: 1,
      limits: [
        {
          limit_id: 'from-config',
          target: 'model:m',
          requests_per_second: '0',
          requests_per_minute: '60',
          requests_per_hour: '0',
          burst_size: '0',
          enabled: true,
          metadata: { source: 'config', team: 'ops' },
        },
      ],
    });
  });

  it('sets a rule under a generated id when limit_id is empty, canonical and filterable by target', async () => {
    const set = await client.SetRateLimit({ limit: { target: 'ip:::FFFF:10.0.0.1', requests_per_second: 5, burst_size: 2, enabled: true, metadata: { owner: 'nlb' } } });
    expect(set).toMatchObject({ success: true, error: null });
    const id = /"(rl-[0-9a-f]{12})" created/.exec(set.message)?.[1];
    expect(id, set.message).toBeDefined();
    expect(set.message).toContain('limit_id was empty');
    const listed = await client.GetRateLimits({ target: 'ip:::ffff:10.0.0.1' });
    expect(listed).toEqual({
      total_limits: 1,
      limits: [{ limit_id: id, target: 'ip:10.0.0.1', requests_per_second: '5', requests_per_minute: '0', requests_per_hour: '0', burst_size: '2', enabled: true, metadata: { owner: 'nlb', source: 'grpc' } }],
    });
    expect((await client.RemoveRateLimit({ limit_id: id! })).success).toBe(true);
    expect((await client.GetRateLimits({ target: 'ip:10.0.0.1' })).total_limits).toBe(0);
  });

  it('refuses an invalid rule with INVALID_ARGUMENT naming the RateLimit field, and stores nothing', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ instance_id: '' }, 'limit', /^limit: required/],
      [{ limit: { target: 'key:', requests_per_minute: 1 } }, 'limit.target', /an API key id/],
      [{ limit: { target: 'tenant:a b', requests_per_minute: 1 } }, 'limit.target', /a tenant/],
      [{ limit: { target: 'ip:10.0.0.300', requests_per_minute: 1 } }, 'limit.target', /not an IPv4 or IPv6 address/],
      [{ limit: { target: '*' } }, 'limit.requests_per_second', /at least one of/],
      [{ limit: { target: '*', requests_per_minute: -3 } }, 'limit.requests_per_minute', /0 \(no limit\) or more/],
      [{ limit: { target: '*', requests_per_hour: '5000000000' } }, 'limit.requests_per_hour', /at most 1000000000/],
      [{ limit: { target: '*', requests_per_minute: 5, burst_size: 3 } }, 'limit.burst_size', /per-second limit/],
      [{ limit: { limit_id: 'has space', target: '*', requests_per_minute: 5 } }, 'limit.limit_id', /letters, digits/],
    ];
    for (const [request, field, message] of cases) {
      const error = await rpcFailure(client.SetRateLimit(request));
      expect({ field, code: error.code }).toEqual({ field, code: status.INVALID_ARGUMENT });
      expect(error.details.startsWith(`${field}: `), error.details).toBe(true);
      expect(error.details).toMatch(message);
      expect(client.failureResponse('SetRateLimit', error)?.error?.details).toMatchObject({ field });
      expect(client.statusDetails(error)?.details).toEqual([expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.BadRequest', field_violations: [expect.objectContaining({ field })] })]);
    }
    expect((await client.GetRateLimits({})).total_limits).toBe(1);
    expect((await rpcFailure(client.GetRateLimits({ target: 'nonsense' }))).details).toMatch(/^target: /);
  });

  it('overrides a config-file rule by id, refuses to remove the config rule, and restores it when the override goes', async () => {
    const refused = await rpcFailure(client.RemoveRateLimit({ limit_id: 'from-config' }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toMatch(/config file/);

    const set = await client.SetRateLimit({ limit: { limit_id: 'from-config', target: 'model:m', requests_per_minute: 1, enabled: true } });
    expect(set.message).toMatch(/"from-config" created .*overrides the config-file rule/);
    expect((await client.GetRateLimits({})).limits).toEqual([expect.objectContaining({ limit_id: 'from-config', requests_per_minute: '1', metadata: { source: 'grpc', overrides: 'config' } })]);
    // Applied by this gateway: a limit of 1 per minute on model m.
    const chat = () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    await eventually(() => expect(gateway.app.rateLimits.bucketsFor('127.0.0.1', 'm')[0]?.limit).toBe(1), { timeoutMs: 1000, intervalMs: 10 });
    const [first, second] = [await chat(), await chat()];
    // No worker runs here: the first request passes the limiter and finds nobody to serve it.
    expect(first.status).toBe(503);
    expect(second.status).toBe(429);
    expect(second.headers.get('x-ratelimit-limit-requests')).toBe('1');

    const removed = await client.RemoveRateLimit({ limit_id: 'from-config' });
    expect(removed).toMatchObject({ success: true, message: expect.stringMatching(/config-file rule "from-config" applies again/) });
    expect((await client.GetRateLimits({})).limits).toEqual([expect.objectContaining({ limit_id: 'from-config', requests_per_minute: '60', metadata: { source: 'config', team: 'ops' } })]);
  });

  it('answers NOT_FOUND for an unknown rule or instance, and accepts this instance’s own id', async () => {
    expect((await rpcFailure(client.RemoveRateLimit({ limit_id: 'never-set' }))).code).toBe(status.NOT_FOUND);
    expect((await rpcFailure(client.RemoveRateLimit({}))).details).toMatch(/^limit_id: required/);
    expect((await rpcFailure(client.GetRateLimits({ instance_id: 'ailb-gone' }))).code).toBe(status.NOT_FOUND);
    expect((await client.GetRateLimits({ instance_id: gateway.app.instanceId })).total_limits).toBe(1);
  });
});

describe('rate-limit RPCs when the store is down', () => {
  it('answer UNAVAILABLE (retryable), without the store’s error text, and change nothing', async () => {
    const logger = pino({ level: 'silent' });
    const prefix = randomPrefix();
    const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    const transport = new InProcessTransport(logger);
    const config = testAppConfig();
    const gateway = await startGateway(config, logger, { producer: transport.producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore(), rateLimits: new RedisRateLimitStore(redis, prefix) });
    const client = createModuleServiceClient(gateway.grpcAddress);
    try {
      expect((await client.SetRateLimit({ limit: { limit_id: 'kept', target: '*', requests_per_minute: 5, enabled: true } })).success).toBe(true);
      // The store's connection goes away (closed, not reconnecting): every command now fails.
      redis.disconnect();
      const calls: Array<[string, Promise<unknown>]> = [
        ['SetRateLimit', client.SetRateLimit({ limit: { limit_id: 'new', target: '*', requests_per_minute: 5, enabled: true } })],
        ['RemoveRateLimit', client.RemoveRateLimit({ limit_id: 'kept' })],
        ['GetRateLimits', client.GetRateLimits({})],
      ];
      for (const [method, call] of calls) {
        const error = await rpcFailure(call);
        expect({ method, code: error.code }).toEqual({ method, code: status.UNAVAILABLE });
        expect(error.details).toMatch(/^the rate-limit store .*cannot be reached right now; retry shortly$/);
        expect(error.details).not.toMatch(/redis:\/\/|closed|127\.0\.0\.1/i);
      }
      expect(client.failureResponse('SetRateLimit', await rpcFailure(client.SetRateLimit({ limit: { target: '*', requests_per_minute: 1, enabled: true } })))?.error?.code).toBe('STATUS_CODE_UNAVAILABLE');
      // Nothing changed: the rule stored before the outage is still the only one.
      const check = new Redis(REDIS_URL);
      try {
        expect((await new RedisRateLimitStore(check, prefix).list()).map((rule) => rule.id)).toEqual(['kept']);
      } finally {
        check.disconnect();
      }
    } finally {
      client.close();
      await gateway.close();
      await transport.consumer.close();
      await deletePrefix(prefix);
    }
  });
});
