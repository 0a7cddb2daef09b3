import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';

const drivers: Driver[] = ['in-process', 'bullmq'];

/** Reads a raw SSE body into its `data:` payloads. */
async function readEvents(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ''));
}

describe.each(drivers)('upstream failures over the %s driver (bullmq: two workers)', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver, { requestTimeoutMs: 2000 }, { extraWorkers: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const ask = (model: string, content: string, extra: Record<string, unknown> = {}) =>
    fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
    });

  const expectError = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string; type: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/sk-test|sk-ant-test/);
    return body.error;
  };

  it.each(['oa', 'an', 'ol'])('maps a provider 500 to a 502 naming provider %s', async (provider) => {
    const error = await expectError(await ask(`${provider}/sim-small`, '[sim fault=500]'), 502, 'upstream_error');
    expect(error.message).toContain(provider);
    expect(error.type).toBe('api_error');
  });

  it('passes a 429 through with its Retry-After', async () => {
    const response = await ask('oa/sim-small', '[sim fault=429 retry_after=2]');
    expect(response.headers.get('retry-after')).toBe('2');
    await expectError(response, 429, 'upstream_rate_limited');
  });

  it.each(['oa', 'an'])('passes context-length verdicts from %s through as a 400', async (provider) => {
    await expectError(await ask(`${provider}/sim-small`, '[sim fault=context_length]'), 400, 'context_length_exceeded');
  });

  it('passes content-filter verdicts through as a 400', async () => {
    await expectError(await ask('oa/sim-small', '[sim fault=content_filter]'), 400, 'content_policy_violation');
  });

  it('reports rejected credentials as a 502 without leaking the key', async () => {
    const error = await expectError(await ask('an/sim-small', '[sim fault=auth]'), 502, 'upstream_auth_failed');
    expect(error.message).toContain('an');
  });

  it('maps a connection reset to a 502', async () => {
    await expectError(await ask('oa/sim-small', '[sim fault=reset]'), 502, 'upstream_unreachable');
  });

  it('answers 504 when the deadline passes and aborts the upstream call', async () => {
    gateway.simulator.reset();
    await expectError(await ask('oa/sim-small', '[sim fault=no_response]'), 504, 'deadline_exceeded');
    await gateway.simulator.waitFor((records) => records.some((record) => record.outcome === 'aborted'), 5000);
  });

  it('answers a stream that fails before its first byte with a plain HTTP error', async () => {
    const response = await ask('an/sim-small', '[sim fault=503]', { stream: true });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.status).toBeGreaterThanOrEqual(502);
  });

  it.each(['oa', 'an', 'ol'])('ends a stream cut mid-answer by %s with an in-band error and no [DONE]', async (provider) => {
    const response = await ask(`${provider}/sim-small`, '[sim fault=cut after=3 tokens=20]', { stream: true });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events).not.toContain('[DONE]');
    const last = JSON.parse(events.at(-1)!) as { error?: { code: string; message: string } };
    expect(last.error?.code).toMatch(/^upstream_/);
    const content = events
      .slice(0, -1)
      .map((event) => (JSON.parse(event) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
      .join('');
    expect(content.length).toBeGreaterThan(0);
  });

  it('ends a stream that stalls past the deadline with an in-band 504 error and aborts the upstream call', async () => {
    gateway.simulator.reset();
    const response = await ask('oa/sim-small', '[sim fault=stall after=2 tokens=20]', { stream: true });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events).not.toContain('[DONE]');
    expect((JSON.parse(events.at(-1)!) as { error: { code: string } }).error.code).toBe('deadline_exceeded');
    await gateway.simulator.waitFor((records) => records[0]?.outcome === 'aborted', 5000);
  });

  it('makes the official client throw on a cut stream instead of returning a short answer', async () => {
    const stream = await gateway.client.chat.completions.create({ model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: '[sim fault=cut after=2 tokens=20]' }] });
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow();
  });

  it('finalises a stream that ends without [DONE] but with a proper finish', async () => {
    const stream = await gateway.client.chat.completions.create({ model: 'oa/sim-small', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '[sim fault=no_done tokens=4]' }] });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(4);
  });

  it('aborts the upstream call when the client disconnects mid-stream', async () => {
    gateway.simulator.reset();
    const controller = new AbortController();
    const client = new OpenAI({ baseURL: `${gateway.server.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create(
      { model: 'oa/sim-small', stream: true, messages: [{ role: 'user', content: '[sim tps=20 tokens=200]' }] },
      { signal: controller.signal },
    );
    let received = 0;
    try {
      for await (const chunk of stream) {
        received += chunk.choices[0]?.delta.content ? 1 : 0;
        if (received === 2) controller.abort();
      }
    } catch {
      // The SDK may end quietly or throw on abort; either way the client is gone.
    }
    expect(received).toBeLessThan(200);
    await gateway.simulator.waitFor((records) => records[0]?.outcome === 'aborted', 5000);
    expect(gateway.simulator.requests[0]!.tokensSent).toBeLessThan(200);
  });

  it('counts provider failures, but not rejected requests, in the shared stats', async () => {
    const stats = (await (await fetch(`${gateway.server.url}/api/routing/stats`)).json()) as { providers: Record<string, { failed_requests: number; consecutive_failures: number; last_failure: string | null }> };
    expect(stats.providers.oa!.failed_requests).toBeGreaterThan(0);
    expect(stats.providers.oa!.last_failure).not.toBeNull();
  });
});
