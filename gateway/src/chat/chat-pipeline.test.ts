import type { JobProducer, RoutingPlan } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { TraceRecorder } from '../observability/trace-recorder.js';
import type { ModelCatalog } from '../routing/model-catalog.js';
import { ChatPipeline, type ChatRequest } from './chat-pipeline.js';
import { Dispatcher } from './dispatcher.js';

const plan: RoutingPlan = {
  requestedModel: 'm',
  strategy: 'failover',
  targets: [{ provider: 'p', model: 'm', timeouts: { connectMs: 1000, firstTokenMs: 1000, stallMs: 1000, totalMs: 1000 } }],
  retries: { maxAttemptsPerTarget: 1, backoffBaseMs: 0, backoffMaxMs: 0 },
};

/** A pipeline whose planning and enqueueing wait for the test, with a producer that records what it is asked. */
function pipeline() {
  const calls: string[] = [];
  let finishPlan!: () => void;
  let finishEnqueue!: () => void;
  const planned = new Promise<void>((resolve) => (finishPlan = resolve));
  const enqueued = new Promise<void>((resolve) => (finishEnqueue = resolve));
  const producer = {
    replyChannel: 'test',
    enqueue: async () => {
      calls.push('enqueue');
      await enqueued;
    },
    onReply: () => () => undefined,
    cancel: async (_queue: string, jobId: string) => void calls.push(`cancel ${jobId}`),
  } as unknown as JobProducer;
  const catalog = {
    plan: async () => {
      await planned;
      return plan;
    },
    releaseUnusedProbes: async () => undefined,
  } as unknown as ModelCatalog;
  const stages = {
    catalog,
    dispatcher: new Dispatcher(producer, { liveWorkers: async () => 1 } as never, 5000),
    metrics: { recordOutcome: () => undefined } as unknown as GatewayMetrics,
    traces: { keeps: () => false, record: () => undefined } as unknown as TraceRecorder,
  };
  let clientGone: (() => void) | undefined;
  const request: ChatRequest = {
    requestId: 'r',
    receivedAt: performance.now(),
    model: 'm',
    stream: false,
    priority: 'normal',
    call: { specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    traceRequested: false,
    log: { warn: () => undefined } as unknown as FastifyBaseLogger,
    setHeaders: () => undefined,
    onClientGone: (listener) => (clientGone = listener),
  };
  return { pipeline: new ChatPipeline(stages), request, calls, finishPlan, finishEnqueue, leave: () => clientGone?.() };
}

describe('ChatPipeline and a client that leaves early', () => {
  it('enqueues nothing when the client left while the plan was made', async () => {
    const { pipeline: chat, request, calls, finishPlan, leave } = pipeline();
    const opened = chat.open(request);
    leave();
    finishPlan();
    await expect(opened).rejects.toMatchObject({ code: 'request_cancelled' });
    expect(calls).toEqual([]);
  });

  it('cancels the job when the client left while it was being enqueued', async () => {
    const { pipeline: chat, request, calls, finishPlan, finishEnqueue, leave } = pipeline();
    const opened = chat.open(request);
    finishPlan();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual(['enqueue']);
    leave();
    finishEnqueue();
    await expect(opened).rejects.toMatchObject({ code: 'request_cancelled' });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(/^cancel /);
  });
});
