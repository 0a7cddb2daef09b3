import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type Driver, type GatewayUnderTest } from './support/gateway-under-test.js';

/* x-ailb-priority with one worker slot: while a job runs, waiting jobs are served high, normal, low. */
describe.each<Driver>(['in-process', 'bullmq'])('job priority over the %s driver', (driver) => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest(driver, { worker: { concurrency: 1, lockMs: 10_000 } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const ask = (content: string, priority?: string) =>
    fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(priority ? { 'x-ailb-priority': priority } : {}) },
      body: JSON.stringify({ model: 'oa/sim-small', messages: [{ role: 'user', content }] }),
    });

  it('serves waiting high-priority jobs first and low-priority ones last', async () => {
    gateway.simulator.reset();
    const blocker = ask('blocker [sim latency=600]');
    await gateway.simulator.waitFor((records) => records.length === 1, 5000);
    const finished: string[] = [];
    const queued = [
      ['low', 'low'],
      ['normal', undefined],
      ['high', 'high'],
    ].map(async ([name, priority]) => {
      const response = await ask(`${name} job`, priority);
      await response.arrayBuffer();
      finished.push(name!);
    });
    // Let all three reach the queue, in this order, while the blocker holds the only slot.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all([blocker, ...queued]);
    expect(finished).toEqual(['high', 'normal', 'low']);
  });

  it('rejects an unknown priority with a 400 naming the header', async () => {
    const response = await ask('hi', 'urgent');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('x-ailb-priority');
  });
});
