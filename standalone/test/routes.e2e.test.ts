import { DEFAULT_TIMEOUTS } from '@ailb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER_OPENS } from './support/test-config.js';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';

// Routes from config end to end (in-process queue): the strategies themselves are unit-tested.
describe('routes from config', () => {
  let gateway: GatewayUnderTest;
  beforeAll(async () => {
    gateway = await startGatewayUnderTest('in-process', {
      routing: { strategy: 'round_robin', timeouts: DEFAULT_TIMEOUTS, retries: { maxAttemptsPerTarget: 2, backoffBaseMs: 10, backoffMaxMs: 50 }, circuit: NEVER_OPENS, ewmaAlpha: 0.1 },
      routes: [
        {
          model: 'smart',
          strategy: 'failover',
          targets: [
            { provider: 'an', model: 'sim-small', priority: 1, weight: 1 },
            { provider: 'oa', model: 'sim-small', priority: 0, weight: 1 },
          ],
          fallbacks: [],
        },
      ],
    });
  });
  afterAll(() => gateway?.close());

  it('serves a public name only routes: defines, on the target its strategy puts first', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { data, response } = await gateway.client.chat.completions
        .create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      expect(response.headers.get('x-ailb-provider')).toBe('oa');
      expect(data.choices[0]!.message.content).toBeTruthy();
    }
  });

  it('moves on to the next target when the first keeps failing before any output, and not on a client verdict', async () => {
    gateway.simulator.reset();
    // Two attempts per target: both on the first target fail, the second target serves.
    gateway.simulator.script([{ fault: '500', count: 2 }]);
    const { data, response } = await gateway.client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(data.choices[0]!.message.content).toBe('Hello from sim-small. You said: hi');
    expect(gateway.simulator.requests.map((record) => [record.api, record.status])).toEqual([
      ['openai', 500],
      ['openai', 500],
      ['anthropic', 200],
    ]);

    gateway.simulator.reset();
    const verdict = await fetch(`${gateway.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: '[sim fault=context_length]' }] }),
    });
    expect(verdict.status).toBe(400);
    expect(gateway.simulator.requests).toHaveLength(1);
  });

  it('lists the route name beside the default ones', async () => {
    const ids = (await gateway.client.models.list()).data.map((model) => model.id);
    expect(ids).toContain('smart');
    expect(ids).toContain('sim-small');
    expect(ids).toContain('oa/sim-small');
  });
});
