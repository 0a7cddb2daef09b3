import { grpcStatus, rpcFailure } from '@ailb/testkit';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from './support/grpc-test-gateway.js';

/*
 * The Shutdown RPC through a real gateway whose shutdown hook is observable: it records the request
 * and closes the gateway as the process would (the process-level exit is covered by
 * standalone/test/grpc-control.e2e.test.ts).
 */
describe('Shutdown', () => {
  it('answers, then drains: in-flight requests finish, new ones are refused, the listeners close', async () => {
    const { client, chat, gateway, shutdowns } = await startTestGateway({ workerDelayMs: 1500 });
    const inFlight = chat();
    await expect.poll(async () => (await client.GetMetrics({ metric_names: ['requests_in_flight'] })).metrics?.metrics[0]?.value).toBe(1);

    const answer = await client.Shutdown({ graceful: true, timeout_seconds: 5 });
    expect(answer).toMatchObject({ success: true });
    expect(answer.message).toMatch(/up to 5 s/);
    await expect.poll(() => shutdowns).toEqual([{ reason: 'gRPC Shutdown', deadlineMs: 5000 }]);
    expect(gateway.app.draining).toBe(true);

    // Intake stopped on both listeners: HTTP answers 503 (or no longer accepts), gRPC refuses calls.
    const late = await chat().then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    expect((await rpcFailure(client.GetStats({}, { timeoutMs: 2000 }))).code).toBe(grpcStatus.UNAVAILABLE);

    // The request that was in flight is answered in full.
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'Hello' } }] });
    await gateway.close();
  });

  it('bounds the drain by timeout_seconds whenever it is set, graceful or not', async () => {
    const { client, shutdowns } = await startTestGateway();
    // proto3 sends graceful=false when unset: an explicit timeout is still a drain, not a 1 s stop.
    const answer = await client.Shutdown({ timeout_seconds: 60 });
    expect(answer).toMatchObject({ success: true, message: expect.stringMatching(/up to 60 s to finish \(timeout_seconds\)/) });
    await expect.poll(() => shutdowns).toEqual([{ reason: 'gRPC Shutdown', deadlineMs: 60_000 }]);
  });

  it('allows one second when not graceful and no timeout is given, the default when graceful', async () => {
    const quick = await startTestGateway();
    expect((await quick.client.Shutdown({ graceful: false })).message).toMatch(/up to 1 s to finish \(graceful=false without timeout_seconds\)/);
    await expect.poll(() => quick.shutdowns).toEqual([{ reason: 'gRPC Shutdown', deadlineMs: 1000 }]);
    const patient = await startTestGateway();
    expect((await patient.client.Shutdown({ graceful: true })).message).toMatch(/up to 30 s .*default/);
    await expect.poll(() => patient.shutdowns).toEqual([{ reason: 'gRPC Shutdown', deadlineMs: 30_000 }]);
  });

  it('refuses a bad timeout or another instance without shutting down', async () => {
    const { client, shutdowns, gateway } = await startTestGateway();
    const error = await rpcFailure(client.Shutdown({ graceful: true, timeout_seconds: -1 }));
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^timeout_seconds: must be from 0 to 3600/);
    // Also reported in the response's Error field, carried in the trailer.
    expect(client.failureResponse('Shutdown', error)).toMatchObject({ success: false, error: { code: 'STATUS_CODE_INVALID_ARGUMENT', details: { field: 'timeout_seconds' } } });
    expect((await rpcFailure(client.Shutdown({ instance_id: 'another-gateway', graceful: true }))).code).toBe(grpcStatus.NOT_FOUND);
    expect(shutdowns).toEqual([]);
    expect(gateway.app.draining).toBe(false);
  });
});
