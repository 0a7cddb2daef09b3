import { grpcStatus } from '@ailb/testkit';
import { describe, expect, it } from 'vitest';
import { failureOf, startTestGateway } from './support/grpc-test-gateway.js';

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
    expect((await failureOf(client.GetStats({}, { timeoutMs: 2000 }))).code).toBe(grpcStatus.UNAVAILABLE);

    // The request that was in flight is answered in full.
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'Hello' } }] });
    await gateway.close();
  });

  it('allows one second when not graceful', async () => {
    const { client, shutdowns } = await startTestGateway();
    expect((await client.Shutdown({ graceful: false, timeout_seconds: 60 })).success).toBe(true);
    await expect.poll(() => shutdowns).toEqual([{ reason: 'gRPC Shutdown', deadlineMs: 1000 }]);
  });

  it('refuses a bad timeout or another instance without shutting down', async () => {
    const { client, shutdowns, gateway } = await startTestGateway();
    const error = await failureOf(client.Shutdown({ graceful: true, timeout_seconds: -1 }));
    expect(error.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^timeout_seconds: must be from 0 to 3600/);
    // Also reported in the response's Error field, carried in the trailer.
    expect(client.failureResponse('Shutdown', error)).toMatchObject({ success: false, error: { code: 'STATUS_CODE_INVALID_ARGUMENT', details: { field: 'timeout_seconds' } } });
    expect((await failureOf(client.Shutdown({ instance_id: 'another-gateway', graceful: true }))).code).toBe(grpcStatus.NOT_FOUND);
    expect(shutdowns).toEqual([]);
    expect(gateway.app.draining).toBe(false);
  });
});
