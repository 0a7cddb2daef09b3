import { DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type ChatJob } from '@ailb/shared';
import { InProcessTransport } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LaneReclaimer } from './lane-reclaimer.js';

/* When the gateway sweeps a lane, over the embedded default's real in-process queue. */

const logger = pino({ level: 'silent' });
const job = (jobId: string): ChatJob => ({
  version: 2,
  jobId,
  requestId: jobId,
  replyTo: 'in-process',
  deadlineAt: Date.now() + 60_000,
  enqueuedAt: Date.now(),
  stream: false,
  priority: 'normal',
  call: { specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  plan: { requestedModel: 'm', strategy: 'failover', targets: [{ provider: 'p', model: 'm', timeouts: DEFAULT_TIMEOUTS }], retries: DEFAULT_RETRIES },
});

describe('LaneReclaimer', () => {
  it('sweeps the lane of a listed version without live workers from when it left until the window ends, and again after it returns and leaves', async () => {
    const transport = new InProcessTransport(logger);
    const waiting = async () => (await transport.consumer.stats('chat')).waiting;
    const reclaimer = new LaneReclaimer({ producer: transport.producer, logger, windowMs: 10_000 });
    // v1 is live: its lane is left alone.
    await transport.producer.enqueue('chat', job('a'), { lane: 'v1' });
    reclaimer.observe(['v1', 'v3'], new Set(['v1']), 0);
    await reclaimer.idle();
    const runs: string[] = [];
    await transport.consumer.consume('chat', async (context) => void runs.push(context.job.jobId), 4);
    expect(runs).toEqual([]);

    await transport.producer.enqueue('chat', job('b'), { lane: 'v3' });
    reclaimer.observe(['v1', 'v3'], new Set(['v1']), 5_000);
    await reclaimer.idle();
    expect(runs).toEqual(['b']);
    // Past the window: a late job stays (no sweep per second forever).
    await transport.producer.enqueue('chat', job('c'), { lane: 'v3' });
    reclaimer.observe(['v1', 'v3'], new Set(['v1']), 10_001);
    await reclaimer.idle();
    expect(await waiting()).toBe(2);
    // v3 comes back, then leaves again: a new window.
    reclaimer.observe(['v1', 'v3'], new Set(['v1', 'v3']), 20_000);
    reclaimer.observe(['v1', 'v3'], new Set(['v1']), 21_000);
    await reclaimer.idle();
    expect(runs).toEqual(['b', 'c']);
    await transport.consumer.close();
  });

  it('keeps sweeping past the window while moves fail', async () => {
    const transport = new InProcessTransport(logger);
    let failures = 1;
    const producer = {
      reclaimLane: (queue: 'chat', lane: string) => (failures-- > 0 ? Promise.reject(new Error('redis down')) : transport.producer.reclaimLane(queue, lane)),
    };
    const reclaimer = new LaneReclaimer({ producer, logger, windowMs: 1000 });
    await transport.producer.enqueue('chat', job('stuck'), { lane: 'v3' });
    reclaimer.observe(['v3'], new Set(), 0);
    await reclaimer.idle();
    reclaimer.observe(['v3'], new Set(), 5_000);
    await reclaimer.idle();
    expect(await transport.producer.reclaimLane('chat', 'v3')).toBe(0);
    expect((await transport.consumer.stats('chat')).waiting).toBe(1);
    reclaimer.close();
  });
});
