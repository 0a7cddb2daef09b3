import { grpcStatus, rpcFailure } from '@ailb/testkit';
import { describe, expect, it, vi } from 'vitest';
import { startTestGateway } from './support/grpc-test-gateway.js';

/* GetStats, GetMetrics and StreamMetrics against real traffic through a real gateway's sockets. */

async function chats(send: () => Promise<Response>, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const response = await send();
    expect(response.status).toBe(200);
    await response.text();
  }
}

describe('GetStats', () => {
  it('counts the chat requests served, their bytes, connections, latency and tokens', async () => {
    const { client, chat, gateway } = await startTestGateway();
    await chats(chat, 4);
    // A bad request is traffic too: it counts as failed. Probes do not count at all.
    expect((await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    await fetch(`${gateway.url}/healthz`);

    const { stats } = await client.GetStats({});
    expect(stats).toMatchObject({ instance_id: gateway.app.instanceId, total_requests: '5', successful_requests: '4', failed_requests: '1' });
    expect(Number(stats!.total_connections)).toBeGreaterThanOrEqual(1);
    expect(Number(stats!.bytes_received)).toBeGreaterThan(0);
    expect(Number(stats!.bytes_sent)).toBeGreaterThan(0);
    expect(stats!.avg_latency_ms).toBeGreaterThan(0);
    expect(stats!.p99_latency_ms).toBeGreaterThanOrEqual(stats!.p50_latency_ms);
    expect(stats!.memory_usage_mb).toBeGreaterThan(0);
    expect(stats!.cpu_usage_percent).toBeGreaterThanOrEqual(0);
    expect(stats!.custom_stats).toMatchObject({ tokens_input: '12', tokens_output: '20', latency_samples: '4', queue_waiting: '0', queue_active: '0' });
    expect(Number(stats!.custom_stats.requests_per_minute)).toBeGreaterThan(0);
  });

  it('reports deltas after reset_counters, without resetting the Prometheus counters', async () => {
    const { client, chat, gateway } = await startTestGateway();
    await chats(chat, 3);
    const before = await client.GetStats({ reset_counters: true });
    // The resetting call itself still reports the window it closes.
    expect(before.stats?.total_requests).toBe('3');
    const resetAt = Date.now();

    await chats(chat, 2);
    const after = await client.GetStats({});
    expect(after.stats).toMatchObject({ total_requests: '2', successful_requests: '2', failed_requests: '0' });
    expect(after.stats?.custom_stats).toMatchObject({ tokens_input: '6', latency_samples: '2' });
    expect(Number(after.stats?.since?.seconds) * 1000).toBeGreaterThanOrEqual(Math.floor(resetAt / 1000) * 1000 - 1000);
    expect(Number(after.stats?.since?.seconds)).toBeGreaterThan(Number(before.stats?.since?.seconds) - 1);

    const scrape = await (await fetch(`${gateway.url}/metrics`)).text();
    const served = scrape.split('\n').filter((line) => line.startsWith('ailb_http_requests_total{route="/v1/chat/completions",status="200"}'));
    expect(served).toEqual(['ailb_http_requests_total{route="/v1/chat/completions",status="200"} 5']);
    expect(scrape).toMatch(/^ailb_http_connections_total \d+$/m);
    expect(scrape).toMatch(/^ailb_http_received_bytes_total \d+$/m);
    expect(scrape).toMatch(/^ailb_http_requests_in_flight 1$/m);
  });
});

describe('requests_in_flight', () => {
  it('counts a request from arrival until it is answered or its client leaves', async () => {
    const { client, gateway } = await startTestGateway({ workerDelayMs: 1500 });
    const inFlight = async () => (await client.GetMetrics({ metric_names: ['requests_in_flight'] })).metrics!.metrics[0]!.value;
    const leaving = new AbortController();
    const send = (signal?: AbortSignal) => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), ...(signal ? { signal } : {}) });
    const answered = send();
    const abandoned = send(leaving.signal).catch(() => 'aborted');
    await expect.poll(inFlight).toBe(2);
    leaving.abort();
    expect(await abandoned).toBe('aborted');
    await expect.poll(inFlight).toBe(1);
    expect((await answered).status).toBe(200);
    await expect.poll(inFlight).toBe(0);
    expect(gateway.app.requestsInFlight).toBe(0);
  });
});

describe('GetMetrics', () => {
  it('returns the named metrics only, and every metric without names', async () => {
    const { client, chat } = await startTestGateway();
    await chats(chat, 2);
    const some = await client.GetMetrics({ metric_names: ['requests_total', 'tokens_output', 'queue_waiting'] });
    expect(some.metrics?.module_type).toBe('MODULE_TYPE_AILB');
    expect(Object.fromEntries(some.metrics!.metrics.map((point) => [point.name, point.value]))).toEqual({ requests_total: 2, tokens_output: 10, queue_waiting: 0 });
    expect(some.metrics!.metrics.find((point) => point.name === 'queue_waiting')?.labels).toEqual({ queue: 'chat' });

    const all = await client.GetMetrics({});
    expect(all.metrics!.metrics.map((point) => point.name)).toEqual(expect.arrayContaining(['requests_per_minute', 'latency_p95_ms', 'connections_active', 'cpu_usage_percent', 'memory_usage_mb', 'bytes_sent']));
  });

  it('refuses unknown metric names, listing the valid ones, and a time range in the past', async () => {
    const { client } = await startTestGateway();
    const unknown = await rpcFailure(client.GetMetrics({ metric_names: ['requests_total', 'nope'] }));
    expect(unknown.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(unknown.details).toMatch(/^metric_names: unknown metric name\(s\) "nope"; valid: requests_total, .*tokens_output/);
    const past = await rpcFailure(client.GetMetrics({ end_time: { seconds: Math.floor(Date.now() / 1000) - 3600 } }));
    expect(past.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(past.details).toMatch(/^end_time: /);
  });

  it('refuses a timestamp that is not a real instant, naming the field', async () => {
    const { client } = await startTestGateway();
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[object, string]> = [
      [{ start_time: { seconds: '99999999999999999' } }, 'start_time'],
      [{ end_time: { seconds: '-99999999999999999' } }, 'end_time'],
      [{ start_time: { seconds: now, nanos: -1 } }, 'start_time'],
      [{ end_time: { seconds: now, nanos: 1_000_000_000 } }, 'end_time'],
    ];
    for (const [request, field] of cases) {
      const error = await rpcFailure(client.GetMetrics(request));
      expect({ code: error.code, field }).toEqual({ code: grpcStatus.INVALID_ARGUMENT, field });
      expect(error.details.startsWith(`${field}: `), error.details).toBe(true);
    }
    // The edges of the valid range still work.
    expect((await client.GetMetrics({ start_time: { seconds: now - 5, nanos: 999_999_999 }, end_time: { seconds: now + 5, nanos: 0 } })).metrics).toBeTruthy();
  });
});

describe('StreamMetrics', () => {
  it('sends a batch at once and then one per interval, and stops when the client cancels', async () => {
    const { client, gateway } = await startTestGateway();
    // Every batch is one read of the server's metrics: counted on the server, where a stream that kept
    // running after the cancel would show (the client drops whatever arrives after it cancelled).
    const reads = vi.spyOn(gateway.app.metrics, 'snapshot');
    const stream = client.streamMetrics({ interval_seconds: 1, metric_names: ['requests_total'] });
    const arrivals: number[] = [];
    stream.on('data', (message: { metrics: { metrics: { name: string }[] } }) => {
      expect(message.metrics.metrics.map((point) => point.name)).toEqual(['requests_total']);
      arrivals.push(Date.now());
    });
    const ended = new Promise<{ code: number }>((resolve) => stream.on('error', resolve));
    await expect.poll(() => arrivals.length, { timeout: 6000 }).toBeGreaterThanOrEqual(3);
    stream.cancel();
    expect((await ended).code).toBe(grpcStatus.CANCELLED);
    // Paced by the interval, not sent as fast as possible.
    const gaps = arrivals.slice(1).map((at, index) => at - arrivals[index]!);
    for (const gap of gaps.slice(0, 2)) expect(gap).toBeGreaterThanOrEqual(800);
    expect(reads.mock.calls.length).toBeGreaterThanOrEqual(arrivals.length);
    const readsAtCancel = reads.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(reads.mock.calls.length).toBe(readsAtCancel);
  });

  it('validates the interval and the names before streaming', async () => {
    const { client } = await startTestGateway();
    for (const request of [{ interval_seconds: -1 }, { interval_seconds: 3601 }, { metric_names: ['nope'] }]) {
      const stream = client.streamMetrics(request);
      stream.on('data', () => expect.fail('a batch was sent'));
      const error = await new Promise<{ code: number; details: string }>((resolve) => stream.on('error', resolve));
      expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
      expect(error.details).toMatch(request.metric_names ? /^metric_names: / : /^interval_seconds: must be from 1 to 3600/);
    }
  });
});
