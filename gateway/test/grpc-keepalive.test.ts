import { connectivityState, createModuleServiceClient } from '@ailb/testkit';
import { describe, expect, it } from 'vitest';
import { started, startTestGateway } from './support/grpc-test-gateway.js';

/*
 * The MarchProxy NLB keeps an idle channel open with pings every 10 s (timeout 3 s), with no call in
 * flight. A server that polices pings would answer with GOAWAY and the channel would drop to IDLE:
 * this client behaves like the NLB for a full minute and the channel must stay READY throughout.
 */
describe('keepalive', () => {
  it('keeps an idle channel pinging every 10 s connected for 60 s', { timeout: 90_000 }, async () => {
    const { gateway } = await startTestGateway();
    const client = createModuleServiceClient(gateway.grpcAddress, {
      channelOptions: { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 3_000, 'grpc.keepalive_permit_without_calls': 1 },
    });
    started.push(client);
    await client.waitForReady();
    const channel = client.raw.getChannel();
    const states = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      states.add(channel.getConnectivityState(false));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect([...states]).toEqual([connectivityState.READY]);
    expect((await client.GetStats({})).stats?.instance_id).toBe(gateway.app.instanceId);
    expect(channel.getConnectivityState(false)).toBe(connectivityState.READY);
  });
});
