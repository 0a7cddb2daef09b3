import { request } from 'node:http';
import type { LedgerEntry, RouteConfig, RouteTargetConfig } from '@ailb/shared';
import { eventually } from '@ailb/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';
import { NEVER_OPENS } from './support/test-config.js';

/*
 * Streams that break after sending text, finished by the next target: prefilled where the target
 * takes a prefill (the simulated Anthropic API continues one), restarted and relayed past the text
 * already sent where it does not (the simulated OpenAI API answers anew), restarted when the target
 * refuses the prefill (`sim-strict` answers 400 like Claude 4.6+). The client must get the uncut
 * answer or a clean in-band error with the original failure — never a truncated success. Also: one
 * malformed event skipped, and hedging. Faults are scripted per upstream model.
 */
const target = (provider: string, model: string, priority: number, extra: Partial<RouteTargetConfig> = {}) => ({ provider, model, priority, weight: 1, ...extra });
const routes: RouteConfig[] = [
  { model: 'mend', strategy: 'failover', targets: [target('oa', 'sim-small', 0), target('an', 'sim-large', 1)], fallbacks: [] },
  { model: 'mend-stall', strategy: 'failover', targets: [target('oa', 'sim-small', 0, { timeouts: { stall_ms: 300 } }), target('an', 'sim-large', 1)], fallbacks: [] },
  { model: 'mend-strict', strategy: 'failover', targets: [target('oa', 'sim-small', 0), target('an', 'sim-strict', 1)], fallbacks: [] },
  { model: 'mend-restart', strategy: 'failover', targets: [target('an', 'sim-small', 0), target('oa', 'sim-large', 1)], fallbacks: [] },
  { model: 'no-mend', strategy: 'failover', targets: [target('oa', 'sim-small', 0), target('an', 'sim-large', 1)], fallbacks: [], continue_streams: false },
  { model: 'hedged', strategy: 'failover', targets: [target('oa', 'sim-small', 0, { hedge_after_ms: 150 }), target('an', 'sim-large', 1)], fallbacks: [] },
];
const words = (count: number) => Array.from({ length: count }, (_unused, index) => `w${index + 1}`).join(' ');

interface RawStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  trailers: Record<string, string | undefined>;
  events: string[];
}

describe.each<Driver>(['in-process', 'bullmq'])('stream continuation, malformed events and hedging over the %s driver', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(
      driver,
      { routes, routing: { strategy: 'failover', timeouts: { connectMs: 5000, firstTokenMs: 10_000, stallMs: 10_000, totalMs: 30_000 }, retries: { maxAttemptsPerTarget: 1, backoffBaseMs: 10, backoffMaxMs: 20 }, circuit: NEVER_OPENS, ewmaAlpha: 0.1 } },
      { extraWorkers: 1, simulator: { models: ['sim-small', 'sim-large', 'sim-strict'], prefill: { 'sim-strict': 'reject' } } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
  });
  beforeEach(() => gateway.simulator.reset());

  /** A chat request over a raw socket: the SSE events and the HTTP trailers (which fetch does not expose). */
  const stream = (model: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    new Promise<RawStream>((resolve, reject) => {
      const url = new URL(`${gateway.server.url}/v1/chat/completions`);
      const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content }], ...extra });
      const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const events = text.split('\n\n').map((event) => event.trim().replace(/^data: /, '')).filter(Boolean);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, trailers: response.trailers, events });
        });
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  const contentOf = (events: string[]) =>
    events
      .filter((event) => event !== '[DONE]')
      .map((event) => JSON.parse(event) as { choices?: Array<{ delta: { content?: string } }> })
      .map((chunk) => chunk.choices?.[0]?.delta.content ?? '')
      .join('');
  const lastError = (events: string[]) => (JSON.parse(events.at(-1)!) as { error?: { code: string; message: string } }).error;
  const requestsFor = (model: string) => gateway.simulator.requests.filter((record) => record.model === model);
  const traceOf = async (requestId: string) => {
    let trace: Record<string, any> = {};
    await eventually(async () => {
      const response = await fetch(`${gateway.server.url}/api/routing/trace/${requestId}`);
      expect(response.status).toBe(200);
      trace = (await response.json()) as Record<string, any>;
    });
    return trace;
  };
  const ledgerOf = async (requestId: string, count: number): Promise<LedgerEntry[]> => {
    let found: LedgerEntry[] = [];
    await eventually(async () => {
      found = (await gateway.server.app.ledger!.store.recent(1000)).filter((entry) => entry.requestId === requestId).reverse();
      expect(found).toHaveLength(count);
    });
    return found;
  };

  it('finishes a stream cut after 40 of 60 tokens on the next target, prefilled: one seamless answer, usage and trace as they happened', async () => {
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 40 } }]);
    const requestId = `cut-${driver}-${Date.now()}`;
    const answer = await stream('mend', '[sim tokens=60]', { stream_options: { include_usage: true } }, { 'x-request-id': requestId });
    expect(answer.status).toBe(200);
    expect(answer.events.at(-1)).toBe('[DONE]');
    expect(contentOf(answer.events)).toBe(words(60));
    // The continuation was asked with the text already sent as the assistant's prefill.
    const [continuation] = requestsFor('sim-large');
    const sent = (continuation!.body as { messages: Array<{ role: string; content: unknown }> }).messages.at(-1)!;
    expect(sent.role).toBe('assistant');
    expect(JSON.stringify(sent.content)).toContain(words(40));
    // Usage is what the providers reported: the cut attempt reported none; the continuation added 20 tokens.
    const usage = (JSON.parse(answer.events.at(-2)!) as { usage: { completion_tokens: number } }).usage;
    expect(usage.completion_tokens).toBe(20);
    // The headers went out with the first attempt; the trailer and the trace list both as they ended.
    expect(answer.headers['x-ailb-attempts']).toMatch(/^oa\/sim-small=success;\d+ms$/);
    expect(answer.trailers['x-ailb-attempts']).toMatch(/^oa\/sim-small=upstream_\w+;\d+ms, an\/sim-large=continued;\d+ms$/);
    const trace = await traceOf(requestId);
    expect(trace.outcome).toBe('success');
    expect(trace.attempts).toMatchObject([
      { provider: 'oa', model: 'sim-small', outcome: expect.stringMatching(/^upstream_/), status: 502 },
      { provider: 'an', model: 'sim-large', outcome: 'continued', status: 200 },
    ]);
    // Billed once, for what the continuation reported; the broken attempt is a failed, free entry.
    const [broken, served] = await ledgerOf(requestId, 2);
    expect(broken).toMatchObject({ provider: 'oa', served: false, outputTokens: 0, costNanoUsd: 0 });
    expect(served).toMatchObject({ provider: 'an', served: true, outputTokens: 20 });
  });

  it('finishes a stream that stalls after 20 tokens on the next target', async () => {
    gateway.simulator.script([{ fault: 'stall', model: 'sim-small', options: { after: 20 } }]);
    const answer = await stream('mend-stall', '[sim tokens=50]');
    expect(answer.events.at(-1)).toBe('[DONE]');
    expect(contentOf(answer.events)).toBe(words(50));
    expect(answer.trailers['x-ailb-attempts']).toMatch(/^oa\/sim-small=upstream_timeout;\d+ms, an\/sim-large=continued;\d+ms$/);
    await gateway.simulator.waitFor((records) => records.find((record) => record.model === 'sim-small')?.outcome === 'aborted');
  });

  it('restarts without the prefill when the next target refuses it, and passes on only what follows the text already sent', async () => {
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 15 } }]);
    const answer = await stream('mend-strict', '[sim tokens=30]');
    expect(answer.events.at(-1)).toBe('[DONE]');
    expect(contentOf(answer.events)).toBe(words(30));
    expect(requestsFor('sim-strict').map((record) => record.status)).toEqual([400, 200]);
  });

  it('restarts on a target that takes no prefill and continues when the new answer begins with the text already sent', async () => {
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 10 } }]);
    const answer = await stream('mend-restart', '[sim tokens=30]');
    expect(contentOf(answer.events)).toBe(words(30));
    const [restart] = requestsFor('sim-large');
    expect((restart!.body as { messages: Array<{ role: string }> }).messages.at(-1)!.role).toBe('user');
  });

  it('ends with the original failure, never the restart, when the restarted answer differs', async () => {
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 3 } }]);
    const answer = await stream('mend-restart', 'please answer me');
    expect(answer.events).not.toContain('[DONE]');
    const error = lastError(answer.events);
    expect(error?.code).toMatch(/^upstream_/);
    expect(error?.message).not.toMatch(/restart|prefill/);
    expect(error?.message).toContain('an');
    expect(contentOf(answer.events.slice(0, -1))).toBe('Hello from sim-small.');
  });

  it('does not continue a stream cut inside a tool call, nor on a route with continue_streams off', async () => {
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 2 } }]);
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }];
    const toolCall = await stream('mend', 'find the answer to this', { tools });
    expect(toolCall.events).not.toContain('[DONE]');
    expect(lastError(toolCall.events)?.code).toMatch(/^upstream_/);
    expect(requestsFor('sim-large')).toHaveLength(0);
    gateway.simulator.reset();
    gateway.simulator.script([{ fault: 'cut', model: 'sim-small', options: { after: 5 } }]);
    const off = await stream('no-mend', '[sim tokens=30]');
    expect(lastError(off.events)?.code).toMatch(/^upstream_/);
    expect(requestsFor('sim-large')).toHaveLength(0);
  });

  it('skips one malformed event and finishes on the same target; two in a row break the stream, which the next target continues', async () => {
    gateway.simulator.script([{ fault: 'malformed', model: 'sim-small', options: { after: 5 } }]);
    const once = await stream('mend', '[sim tokens=12]');
    expect(contentOf(once.events)).toBe(words(12));
    expect(requestsFor('sim-large')).toHaveLength(0);
    if (driver === 'in-process') {
      // The embedded default serves the worker's metrics on the gateway's /metrics.
      const scrape = await (await fetch(`${gateway.server.url}/metrics`)).text();
      expect(scrape).toMatch(/^ailb_stream_malformed_events_total\{provider="oa"\} [1-9]/m);
    }
    gateway.simulator.reset();
    gateway.simulator.script([{ fault: 'malformed', model: 'sim-small', options: { after: 5, times: 2 } }]);
    const twice = await stream('mend', '[sim tokens=12]');
    expect(contentOf(twice.events)).toBe(words(12));
    expect(twice.trailers['x-ailb-attempts']).toMatch(/^oa\/sim-small=upstream_malformed_response;\d+ms, an\/sim-large=continued;\d+ms$/);
  });

  it.each([true, false])('hedges a target with no first token after hedge_after_ms (stream: %s): the faster wins, the slower is aborted and never billed', async (streaming) => {
    gateway.simulator.script([{ fault: 'slow_first_token', model: 'sim-small', options: { delay: 3000 } }]);
    const requestId = `hedge-${driver}-${streaming}-${Date.now()}`;
    const started = Date.now();
    const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ model: 'hedged', stream: streaming, messages: [{ role: 'user', content: '[sim tokens=5]' }] }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(text).toContain(streaming ? ' w5' : words(5));
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^oa\/sim-small=hedged_out;\d+ms, an\/sim-large=success;\d+ms$/);
    await gateway.simulator.waitFor((records) => records.find((record) => record.model === 'sim-small')?.outcome === 'aborted');
    const [hedgedOut, served] = await ledgerOf(requestId, 2);
    expect(hedgedOut).toMatchObject({ provider: 'oa', outcome: 'hedged_out', served: false, inputTokens: 0, outputTokens: 0, costNanoUsd: 0 });
    expect(served).toMatchObject({ provider: 'an', served: true, outputTokens: 5 });
  });

  it('keeps the first target when it produces before the hedge does, aborting the hedge', async () => {
    gateway.simulator.script([
      { fault: 'slow_first_token', model: 'sim-small', options: { delay: 500 } },
      { fault: 'slow_first_token', model: 'sim-large', options: { delay: 5000 } },
    ]);
    const response = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hedged', messages: [{ role: 'user', content: '[sim tokens=3]' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^an\/sim-large=hedged_out;\d+ms, oa\/sim-small=success;\d+ms$/);
    await response.arrayBuffer();
    await gateway.simulator.waitFor((records) => records.find((record) => record.model === 'sim-large')?.outcome === 'aborted');
  });

  it('honours Connection: close on a stream, and keeps the connection alive otherwise', async () => {
    const closing = await stream('mend', '[sim tokens=3]', {}, { connection: 'close' });
    expect(closing.events.at(-1)).toBe('[DONE]');
    expect(closing.headers.connection).toBe('close');
    const kept = await stream('mend', '[sim tokens=3]');
    expect(kept.headers.connection).toBe('keep-alive');
  });
});
