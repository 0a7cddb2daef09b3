import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, type PlannedTarget } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { AttemptWatchdog } from './attempt-watchdog.js';

const target: PlannedTarget = { provider: 'p1', model: 'm', timeouts: { connectMs: 1000, firstTokenMs: 40, stallMs: 60, totalMs: 400 } };
const cancelled = new GatewayError('request_cancelled', 'cancelled', { provider: 'p1' });

describe('AttemptWatchdog', () => {
  it('aborts a stream with no first token and explains it as upstream_timeout', async () => {
    const watchdog = new AttemptWatchdog(new AbortController().signal, target, true);
    await sleep(80);
    expect(watchdog.signal.aborted).toBe(true);
    expect(watchdog.explain(cancelled)).toMatchObject({ code: 'upstream_timeout', message: 'Provider p1 sent no first token within 40 ms' });
    watchdog.dispose();
  });

  it('restarts the stall limit on every part, then fires on silence', async () => {
    const watchdog = new AttemptWatchdog(new AbortController().signal, target, true);
    for (let part = 0; part < 4; part++) {
      watchdog.onPart();
      await sleep(30);
    }
    expect(watchdog.signal.aborted).toBe(false);
    await sleep(90);
    expect(watchdog.explain(cancelled).message).toBe('Provider p1 stalled for more than 60 ms');
    watchdog.dispose();
  });

  it('applies only the total limit to non-streaming attempts', async () => {
    const watchdog = new AttemptWatchdog(new AbortController().signal, { ...target, timeouts: { ...target.timeouts, totalMs: 100 } }, false);
    await sleep(60);
    expect(watchdog.signal.aborted).toBe(false);
    await sleep(80);
    expect(watchdog.explain(cancelled).message).toBe('Provider p1 sent no complete answer within 100 ms');
    watchdog.dispose();
  });

  it('leaves a real cancellation (the job was aborted) as it is, and disposes its timers', async () => {
    const job = new AbortController();
    const watchdog = new AttemptWatchdog(job.signal, target, true);
    job.abort();
    expect(watchdog.signal.aborted).toBe(true);
    expect(watchdog.explain(cancelled)).toBe(cancelled);
    watchdog.dispose();
    const quiet = new AttemptWatchdog(new AbortController().signal, target, true);
    quiet.dispose();
    await sleep(80);
    expect(quiet.signal.aborted).toBe(false);
  });
});
