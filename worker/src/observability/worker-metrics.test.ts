import { DEFAULT_CIRCUIT, GatewayError, type ChatProvider, type JobConsumer, type JobContext, type ReplyBody } from '@ailb/shared';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { executeChatJob } from '../execution/execute-chat-job.js';
import { chatJobFixture } from '../execution/fixtures/chat-job.js';
import { WorkerMetrics } from './worker-metrics.js';

/*
 * The worker's metrics as chat execution feeds them: attempts by outcome, retries only when a target
 * is tried again, failovers only when another target takes over, in-flight back to zero, circuits
 * and the chat queue read when scraped.
 */

const consumer = (waiting: number): JobConsumer => ({
  stats: async () => ({ waiting, active: 1, lagMs: 1500 }),
  consume: async () => undefined,
  close: async () => undefined,
});

function context(targets: Array<{ provider: string; model: string }>, maxAttemptsPerTarget: number): JobContext<'chat'> {
  const job = chatJobFixture({ stream: false, targets, priority: 'high', enqueuedAt: Date.now() - 250, retries: { maxAttemptsPerTarget, backoffBaseMs: 1, backoffMaxMs: 2 } });
  return { job, signal: new AbortController().signal, reply: async (_body: ReplyBody) => undefined };
}

const failing: ChatProvider = { id: 'down', generate: () => Promise.reject(new GatewayError('upstream_unreachable', 'refused', { provider: 'down' })), stream: () => { throw new Error('not used'); }, listModels: async () => [] };
const working: ChatProvider = {
  id: 'up',
  generate: async () => ({ content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16 }, warnings: [], response: { modelId: 'm' } }) as unknown as Awaited<ReturnType<ChatProvider['generate']>>,
  stream: () => { throw new Error('not used'); },
  listModels: async () => [],
};

describe('WorkerMetrics', () => {
  const state = () => new InMemoryClusterState({ circuit: { ...DEFAULT_CIRCUIT, failureThreshold: 2 }, ewmaAlpha: 0.1 });
  const run = async (metrics: WorkerMetrics, shared: InMemoryClusterState, targets: Array<{ provider: string; model: string }>, attempts: number) =>
    executeChatJob(context(targets, attempts), { providers: new Map([['down', failing], ['up', working]]), state: shared, logger: pino({ level: 'silent' }), workerId: 'w', observer: metrics });
  const text = (metrics: WorkerMetrics) => metrics.registry.metrics();

  it('counts a retry, a failover, both failed attempts and the served one with its tokens', async () => {
    const shared = state();
    const metrics = new WorkerMetrics({ consumer: consumer(3), circuits: { health: shared, policy: { ...DEFAULT_CIRCUIT, failureThreshold: 2 }, targets: [{ provider: 'up', model: 'm' }] } });
    await run(metrics, shared, [{ provider: 'down', model: 'm' }, { provider: 'up', model: 'm' }], 2);
    const scrape = await text(metrics);
    expect(scrape).toContain('ailb_retries_total{provider="down",reason="upstream_unreachable"} 1');
    expect(scrape).toContain('ailb_failovers_total{provider="down",reason="upstream_unreachable"} 1');
    expect(scrape).toContain('gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="down",gen_ai_request_model="m",error_type="upstream_unreachable"} 2');
    expect(scrape).toContain('gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="m"} 1');
    expect(scrape).toContain('gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="m",gen_ai_token_type="input"} 11');
    expect(scrape).toContain('gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="m",gen_ai_token_type="output"} 5');
    // Not streamed: no time to first token.
    expect(scrape).not.toMatch(/gen_ai_server_time_to_first_token_seconds_count\{/);
    expect(scrape).toContain('ailb_target_attempts_in_flight{provider="down",model="m"} 0');
    expect(scrape).toContain('ailb_target_attempts_in_flight{provider="up",model="m"} 0');
    expect(scrape).toMatch(/ailb_chat_queue_wait_seconds_sum\{priority="high"\} 0\.2[5-9]/);
    // Two failures in a row opened `down`; `up` is known from configuration and closed.
    expect(scrape).toContain('ailb_circuit_state{provider="down",model="m"} 2');
    expect(scrape).toContain('ailb_circuit_state{provider="up",model="m"} 0');
    expect(scrape).toContain('ailb_chat_queue_jobs{state="waiting"} 3');
    expect(scrape).toContain('ailb_chat_queue_lag_seconds 1.5');
  });

  it('counts no failover when the failed target was the last one, and no retry without a second attempt', async () => {
    const shared = state();
    const metrics = new WorkerMetrics({ consumer: consumer(0) });
    await run(metrics, shared, [{ provider: 'down', model: 'm' }], 1);
    const scrape = await text(metrics);
    expect(scrape).not.toMatch(/ailb_failovers_total\{/);
    expect(scrape).not.toMatch(/ailb_retries_total\{/);
    expect(scrape).not.toContain('ailb_circuit_state');
  });
});
