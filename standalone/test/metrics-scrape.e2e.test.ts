import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, SplitDeployment, startSimulatedProvider, type SimulatedProvider, type StartedProcess } from '@ailb/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSeries, total, type Series } from './prometheus-text.js';
import { checkMetrics, findPromtool } from './promtool.js';

/*
 * Gateway, worker and embedder in split mode, each scraped after known traffic: every scrape passes
 * `promtool check metrics` without a finding, and the numbers are those of the traffic sent — tokens
 * equal the usage the simulated provider reported, request counts equal requests made, the failover
 * request shows its retry, its failover and the dead target's open circuit.
 */

/** A port nothing listens on: attempts there fail with a refused connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The `url` of the first log line with message `msg` a process printed. */
function loggedUrl(process: StartedProcess, msg: string): string {
  for (const text of process.output().split('\n')) {
    try {
      const line = JSON.parse(text) as { msg?: string; url?: string };
      if (line.msg === msg && line.url) return line.url;
    } catch {
      // not a log line
    }
  }
  throw new Error(`no "${msg}" line in:\n${process.output()}`);
}

describe('Prometheus metrics of the three services', () => {
  let promtool: string;
  let simulator: SimulatedProvider;
  let deployment: SplitDeployment;
  let dataDir: string;
  let client: OpenAI;
  const urls = { gateway: '', worker: '', embedder: '' };
  const usage = { input: 0, output: 0, responses: 0 };

  beforeAll(async () => {
    promtool = findPromtool();
    simulator = await startSimulatedProvider();
    dataDir = mkdtempSync(join(tmpdir(), 'ailb-metrics-'));
    const dead = await closedPort();
    deployment = new SplitDeployment(
      [
        'providers:',
        `  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: sk-metrics-key, models: [sim-small] }`,
        `  - { id: dead, type: openai, base_url: "http://127.0.0.1:${dead}/v1", api_key: sk-metrics-key, models: [ghost-model] }`,
        'routing:',
        '  retries: { max_attempts_per_target: 2, backoff_base_ms: 10, backoff_max_ms: 20 }',
        '  circuit: { failure_threshold: 2, cooldown_ms: 600000 }',
        'routes:',
        '  - model: smart',
        '    strategy: failover',
        '    targets: [{ provider: dead, model: ghost-model, priority: 0 }, { provider: oa, model: sim-small, priority: 1 }]',
        'memory: { timeout_ms: 5000 }',
        '',
      ].join('\n'),
      { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', AILB_DATA_DIR: dataDir },
    );
    const [gateway, worker, embedder] = await Promise.all([deployment.startGateway(), deployment.startWorker(), deployment.startEmbedder()]);
    urls.gateway = gateway.url;
    urls.worker = loggedUrl(worker, 'worker metrics listening');
    urls.embedder = loggedUrl(embedder, 'embedder metrics and health listening');
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });

    const count = (reported: { prompt_tokens: number; completion_tokens: number } | null | undefined) => {
      if (!reported) throw new Error('the simulated provider reported no usage');
      usage.input += reported.prompt_tokens;
      usage.output += reported.completion_tokens;
      usage.responses++;
    };
    // 3 plain answers, 2 streams, 1 failover (dead twice, then oa), 1 with a session (memory: the embedder works).
    for (const tokens of [3, 5, 8]) count((await client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: `hello [sim tokens=${tokens}]` }] })).usage);
    for (const tokens of [4, 6]) {
      const stream = await client.chat.completions.create({ model: 'sim-small', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: `stream please [sim tokens=${tokens}]` }] });
      let last: { prompt_tokens: number; completion_tokens: number } | undefined;
      for await (const chunk of stream) if (chunk.usage) last = chunk.usage;
      count(last);
    }
    count((await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'fail over [sim tokens=7]' }] })).usage);
    count((await client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: 'remember my invoice [sim tokens=2]' }] }, { headers: { 'x-session-id': 'metrics-session' } })).usage);
  }, 90_000);

  afterAll(async () => {
    await deployment?.close();
    await simulator?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const scrape = async (url: string): Promise<{ text: string; series: Series[] }> => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const check = checkMetrics(promtool, text);
    expect(check, `promtool check metrics on ${url}/metrics`).toEqual({ status: 0, output: '' });
    return { text, series: parseSeries(text) };
  };

  it('the gateway counts the requests, their tokens and their latency', async () => {
    const { series } = await scrape(urls.gateway);
    const route = { route: '/v1/chat/completions', status: '200' };
    expect(total(series, 'ailb_http_requests_total', route)).toBe(7);
    expect(total(series, 'ailb_http_request_duration_seconds_count', route)).toBe(7);
    expect(total(series, 'ailb_chat_requests_total', { provider: 'oa', outcome: 'success', stream: 'false' })).toBe(5);
    expect(total(series, 'ailb_chat_requests_total', { provider: 'oa', outcome: 'success', stream: 'true' })).toBe(2);
    expect(total(series, 'ailb_chat_requests_total', { model: 'smart', provider: 'oa' })).toBe(1);
    expect(total(series, 'ailb_tokens_total', { provider: 'oa', kind: 'prompt' })).toBe(usage.input);
    expect(total(series, 'ailb_tokens_total', { provider: 'oa', kind: 'completion' })).toBe(usage.output);
    expect(total(series, 'ailb_chat_overhead_seconds_count')).toBe(7);
    expect(total(series, 'ailb_chat_response_seconds_count', { stream: 'true' })).toBe(2);
    expect(total(series, 'ailb_context_retrieval_seconds_count')).toBe(1);
  });

  it('the worker reports GenAI usage and durations, the retry, the failover and the circuit it opened', async () => {
    const { series } = await scrape(urls.worker);
    const oa = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'oa', gen_ai_request_model: 'sim-small' };
    expect(usage.responses).toBe(7);
    expect(total(series, 'gen_ai_client_token_usage_sum', { ...oa, gen_ai_token_type: 'input' })).toBe(usage.input);
    expect(total(series, 'gen_ai_client_token_usage_sum', { ...oa, gen_ai_token_type: 'output' })).toBe(usage.output);
    expect(total(series, 'gen_ai_client_token_usage_count', { ...oa, gen_ai_token_type: 'output' })).toBe(7);
    expect(total(series, 'gen_ai_server_request_duration_seconds_count', { ...oa, error_type: null })).toBe(7);
    expect(total(series, 'gen_ai_server_request_duration_seconds_count', { gen_ai_provider_name: 'dead', gen_ai_request_model: 'ghost-model' })).toBe(2);
    expect(total(series, 'gen_ai_server_time_to_first_token_seconds_count', oa)).toBe(2);
    expect(total(series, 'ailb_retries_total', { provider: 'dead' })).toBe(1);
    expect(total(series, 'ailb_failovers_total', { provider: 'dead' })).toBe(1);
    expect(total(series, 'ailb_circuit_state', { provider: 'dead', model: 'ghost-model' })).toBe(2);
    expect(total(series, 'ailb_circuit_state', { provider: 'oa', model: 'sim-small' })).toBe(0);
    expect(total(series, 'ailb_target_attempts_in_flight')).toBe(0);
    // Seven chat jobs, and the session request's memory jobs are not chat jobs.
    expect(total(series, 'ailb_chat_queue_wait_seconds_count')).toBe(7);
    expect(total(series, 'ailb_chat_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(total(series, 'ailb_process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('the embedder reports its embedding calls and queues', async () => {
    // The session's turn is written after the answer: wait until the embedder embedded it.
    await eventually(async () => expect(total((await scrape(urls.embedder)).series, 'ailb_embedding_seconds_count', { priority: 'bulk' })).toBeGreaterThanOrEqual(1), { timeoutMs: 20_000 });
    const { series } = await scrape(urls.embedder);
    expect(total(series, 'ailb_embedding_seconds_count')).toBe(total(series, 'ailb_embedding_batch_texts_count'));
    expect(total(series, 'ailb_embedder_queue_jobs', { queue: 'memory', state: 'waiting' })).toBe(0);
  });

  it('the metrics ports answer 404 elsewhere', async () => {
    expect((await fetch(`${urls.worker}/nothing`)).status).toBe(404);
    expect((await fetch(`${urls.embedder}/nothing`)).status).toBe(404);
  });
});
