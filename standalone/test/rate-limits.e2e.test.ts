import { createModuleServiceClient, type ModuleServiceTestClient } from '@ailb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSplitCluster, type SplitCluster } from './support/split-cluster.js';

/*
 * Rate limits as deployed: two gateway processes and a worker over one Redis, in front of the
 * simulated provider. A limit set through one gateway's ModuleService binds both gateways together,
 * exactly; removing it lifts it everywhere; rules from the YAML file load and apply the same way.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits across gateways (split mode)', () => {
  let cluster: SplitCluster;
  const gateways: Array<{ url: string; client: ModuleServiceTestClient }> = [];

  beforeAll(async () => {
    cluster = await startSplitCluster(['rate_limits:', '  - { id: yaml-large, target: "model:sim-large", requests_per_minute: 2, metadata: { owner: platform } }'], { tokensPerSecond: 1000 });
    for (const gateway of cluster.gateways) {
      gateways.push({ url: gateway.url, client: createModuleServiceClient(gateway.grpcAddress) });
    }
  }, 60_000);

  afterAll(async () => {
    for (const gateway of gateways) gateway.client.close();
    await cluster?.close();
  }, 30_000);

  const chat = (gatewayIndex: number, model: string) =>
    fetch(`${gateways[gatewayIndex % gateways.length]!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('lists the rules of the YAML file on every gateway', async () => {
    for (const { client } of gateways) {
      expect(await client.GetRateLimits({})).toEqual({
        total_limits: 1,
        limits: [
          {
            limit_id: 'yaml-large',
            target: 'model:sim-large',
            requests_per_second: '0',
            requests_per_minute: '2',
            requests_per_hour: '0',
            burst_size: '0',
            enabled: true,
            metadata: { owner: 'platform', source: 'config' },
          },
        ],
      });
    }
  });

  it('admits exactly 5 of 20 requests spread over both gateways under a limit of 5 per minute set through gRPC, and lifts it on removal', async () => {
    const set = await gateways[0]!.client.SetRateLimit({ limit: { target: 'model:sim-small', requests_per_minute: 5, enabled: true } });
    expect(set.success).toBe(true);
    const id = /"(rl-[0-9a-f]+)"/.exec(set.message)![1]!;
    // Every gateway applies a change within a second.
    await sleep(1000);
    // Four at a time, alternating gateways, so the gateways race each other for the same tokens.
    const statuses: number[] = [];
    const limitHeaders = new Set<string | null>();
    for (let batch = 0; batch < 5; batch++) {
      const responses = await Promise.all(Array.from({ length: 4 }, (_, index) => chat(batch * 4 + index, 'sim-small')));
      for (const response of responses) {
        statuses.push(response.status);
        limitHeaders.add(response.headers.get('x-ratelimit-limit-requests'));
        if (response.status === 429) {
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(((await response.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
        } else {
          await response.arrayBuffer();
        }
      }
    }
    expect(statuses.filter((code) => code === 200)).toHaveLength(5);
    expect(statuses.filter((code) => code === 429)).toHaveLength(15);
    expect([...limitHeaders]).toEqual(['5']);
    // Seen from the other gateway too.
    expect((await gateways[1]!.client.GetRateLimits({ target: 'model:sim-small' })).limits.map((limit) => limit.limit_id)).toEqual([id]);

    expect((await gateways[1]!.client.RemoveRateLimit({ limit_id: id })).success).toBe(true);
    await sleep(1000);
    const after = await Promise.all([chat(0, 'sim-small'), chat(1, 'sim-small')]);
    expect(after.map((response) => response.status)).toEqual([200, 200]);
    expect(after.map((response) => response.headers.get('x-ratelimit-limit-requests'))).toEqual([null, null]);
    await Promise.all(after.map((response) => response.arrayBuffer()));
  });

  it('enforces a YAML rule across both gateways as one', async () => {
    const responses = [];
    for (let index = 0; index < 4; index++) {
      const response = await chat(index, 'sim-large');
      await response.arrayBuffer();
      responses.push(response.status);
    }
    expect(responses).toEqual([200, 200, 429, 429]);
  });
});
