import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type ChatJob, type ChatReply } from '@ailb/shared';
import { InMemoryClusterState, InProcessTransport } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WorkerRuntime } from './worker-runtime.js';

/*
 * A worker of a blue/green version over the in-process transport, with a real in-memory registry: how
 * it leaves (announces stopping, keeps taking its lane's jobs for the notice) and how it names itself.
 */

const logger = pino({ level: 'silent' });

function chatJob(jobId: string): ChatJob {
  return {
    version: 2,
    jobId,
    requestId: `req-${jobId}`,
    replyTo: 'in-process',
    deadlineAt: Date.now() + 10_000,
    enqueuedAt: Date.now(),
    stream: false,
    priority: 'normal',
    call: { specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    // A provider this worker does not have: the job is answered with an error at once.
    plan: { requestedModel: 'm', strategy: 'failover', targets: [{ provider: 'absent', model: 'm', timeouts: DEFAULT_TIMEOUTS }], retries: { ...DEFAULT_RETRIES, maxAttemptsPerTarget: 1 } },
  };
}

describe('WorkerRuntime with a version', () => {
  it('keeps taking its lane’s jobs during the stopping notice, though its lane never carried one before; errors name its version', async () => {
    const transport = new InProcessTransport(logger);
    const state = new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 });
    const runtime = new WorkerRuntime({ consumer: transport.consumer, state, providers: new Map(), providerConfigs: [], concurrency: 2, logger, version: 'v7', stoppingNoticeMs: 500, heartbeatMs: 60_000 });
    await runtime.start();

    const closing = runtime.close();
    // Gateways see it stopping (and stop choosing its lane); a job one sent a moment before still lands there.
    await expect.poll(async () => (await state.liveInstances('worker')).map((worker) => worker.health)).toEqual(['stopping']);
    const reply = new Promise<ChatReply>((resolve) => transport.producer.onReply('chat', 'late', resolve));
    await transport.producer.enqueue('chat', chatJob('late'), { lane: 'v7' });
    const answered = await Promise.race([reply, closing.then(() => undefined)]);
    expect(answered).toMatchObject({ kind: 'error', workerVersion: 'v7' });
    await closing;
    expect(await state.liveInstances('worker')).toEqual([]);
  });
});
