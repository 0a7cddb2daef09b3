import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSeries, total } from './prometheus-text.js';
import { checkMetrics, findPromtool } from './promtool.js';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

/*
 * The embedded default runs gateway, worker (and embedder) in one process: its one /metrics, on the
 * gateway's port, has the worker's metrics too, and passes `promtool check metrics`.
 */
describe('metrics of the embedded default', () => {
  let gateway: GatewayUnderTest;
  let promtool: string;
  const usage = { input: 0, output: 0 };

  beforeAll(async () => {
    promtool = findPromtool();
    gateway = await startGatewayUnderTest('in-process');
    const answer = await gateway.client.chat.completions.create({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'hello [sim tokens=6]' }] });
    const stream = await gateway.client.chat.completions.create({ model: 'oa/sim-small', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'a stream [sim tokens=4]' }] });
    let streamed: typeof answer.usage | undefined;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    for (const reported of [answer.usage, streamed]) {
      usage.input += reported!.prompt_tokens;
      usage.output += reported!.completion_tokens;
    }
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('serves gateway and worker metrics on the gateway port, clean for promtool', async () => {
    const response = await fetch(`${gateway.server.url}/metrics`);
    const text = await response.text();
    expect(checkMetrics(promtool, text)).toEqual({ status: 0, output: '' });
    const series = parseSeries(text);
    const oa = { gen_ai_provider_name: 'oa', gen_ai_request_model: 'sim-small' };
    expect(total(series, 'gen_ai_client_token_usage_sum', { ...oa, gen_ai_token_type: 'input' })).toBe(usage.input);
    expect(total(series, 'gen_ai_client_token_usage_sum', { ...oa, gen_ai_token_type: 'output' })).toBe(usage.output);
    expect(total(series, 'gen_ai_server_time_to_first_token_seconds_count', oa)).toBe(1);
    expect(total(series, 'ailb_chat_queue_wait_seconds_count')).toBe(2);
    expect(total(series, 'ailb_circuit_state', { provider: 'oa', model: 'sim-small' })).toBe(0);
    expect(total(series, 'ailb_tokens_total', { provider: 'oa', kind: 'completion' })).toBe(usage.output);
    expect(total(series, 'ailb_http_request_duration_seconds_count', { route: '/v1/chat/completions', status: '200' })).toBe(2);
  });
});
