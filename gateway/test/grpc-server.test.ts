import { createModuleServiceClient, grpcStatus, rpcFailure } from '@ailb/testkit';
import { credentials, Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { checkHealth, healthClient, reflectedServices, selfSignedCertificate } from './support/grpc-probes.js';
import { started, startTestGateway } from './support/grpc-test-gateway.js';

describe('gRPC listener', () => {
  it('serves the ModuleService, health and reflection on the configured address', async () => {
    const { gateway, client } = await startTestGateway();
    expect(gateway.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await reflectedServices(gateway.grpcAddress)).toEqual(expect.arrayContaining(['marchproxy.ModuleService', 'grpc.health.v1.Health']));
    const stats = await client.GetStats({});
    expect(stats.stats?.instance_id).toBe(gateway.app.instanceId);
  });

  it('reports health from the same readiness as /readyz, and Watch pushes the changes', async () => {
    const { gateway, state } = await startTestGateway({ worker: false });
    const health = healthClient(gateway.grpcAddress);
    started.push(health);
    expect(await checkHealth(health, '')).toBe('NOT_SERVING');
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(503);
    await expect(checkHealth(health, 'no.such.Service')).rejects.toMatchObject({ code: grpcStatus.NOT_FOUND });

    const seen: string[] = [];
    const watch = health.Watch({ service: 'marchproxy.ModuleService' });
    watch.on('data', (message: { status: string }) => seen.push(message.status));
    watch.on('error', () => {});
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(['NOT_SERVING']);

    await state.heartbeat('worker', 'worker-1');
    await expect.poll(() => seen.at(-1), { timeout: 5000 }).toBe('SERVING');
    expect(await checkHealth(health, 'marchproxy.ModuleService')).toBe('SERVING');
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);

    // A condition another plugin adds (the deployment's "weight 0") flips both at once.
    let weight = 0;
    gateway.app.readiness.addCondition('test-weight', () => (weight > 0 ? { ready: true } : { ready: false, reason: 'traffic weight 0' }));
    await expect.poll(() => seen.at(-1), { timeout: 5000 }).toBe('NOT_SERVING');
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toEqual({ status: 'not_ready', reason: 'traffic weight 0' });
    weight = 100;
    gateway.app.readiness.changed();
    await expect.poll(() => seen.at(-1), { timeout: 5000 }).toBe('SERVING');
    watch.cancel();
  });

  it('ends health watches and metric streams cleanly when the gateway closes', async () => {
    const { gateway, client } = await startTestGateway();
    const health = healthClient(gateway.grpcAddress);
    started.push(health);
    const watch = health.Watch({ service: '' });
    const statuses: string[] = [];
    watch.on('data', (message: { status: string }) => statuses.push(message.status));
    const watchEnded = new Promise<void>((resolve, reject) => {
      watch.on('end', resolve);
      watch.on('error', reject);
    });
    const stream = client.streamMetrics({ interval_seconds: 1 });
    let batches = 0;
    stream.on('data', () => (batches += 1));
    const streamEnded = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    await expect.poll(() => batches > 0 && statuses.length > 0, { timeout: 5000 }).toBe(true);
    await gateway.close();
    await Promise.all([watchEnded, streamEnded]);
    expect(statuses.at(-1)).toBe('NOT_SERVING');
  });

  it('answers NOT_FOUND to an instance-local RPC for another instance', async () => {
    const { client } = await startTestGateway();
    const error = await rpcFailure(client.GetStats({ instance_id: 'someone-else' }));
    expect(error.code).toBe(grpcStatus.NOT_FOUND);
  });
});

describe('token authentication', () => {
  const token = 'a-test-token-0123456789';

  it('refuses ModuleService calls without the right bearer token, keeps health and reflection open', async () => {
    const { gateway, client } = await startTestGateway({ grpc: { authToken: token } });
    expect((await rpcFailure(client.GetStats({}))).code).toBe(grpcStatus.UNAUTHENTICATED);
    const wrong = createModuleServiceClient(gateway.grpcAddress, { token: `${token}x` });
    started.push(wrong);
    const wrongError = await rpcFailure(wrong.GetStats({}));
    expect(wrongError.code).toBe(grpcStatus.UNAUTHENTICATED);
    expect(wrongError.details).not.toContain(token);
    const stream = wrong.streamMetrics({ interval_seconds: 1 });
    await expect(new Promise((resolve, reject) => stream.on('error', reject).on('end', resolve))).rejects.toMatchObject({ code: grpcStatus.UNAUTHENTICATED });

    const right = createModuleServiceClient(gateway.grpcAddress, { token });
    started.push(right);
    expect((await right.GetStats({})).stats?.instance_id).toBe(gateway.app.instanceId);
    const health = healthClient(gateway.grpcAddress);
    started.push(health);
    expect(await checkHealth(health, '')).toBe('SERVING');
    expect(await reflectedServices(gateway.grpcAddress)).toContain('marchproxy.ModuleService');
  });

  it('reads the Bearer scheme in any case, and still compares the token', async () => {
    const { client } = await startTestGateway({ grpc: { authToken: token } });
    const as = (authorization: string) => {
      const metadata = new Metadata();
      metadata.set('authorization', authorization);
      return client.GetStats({}, { metadata });
    };
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) expect((await as(`${scheme} ${token}`)).stats?.instance_id).toBeTruthy();
    for (const wrong of [`bearer ${token}x`, `bearer ${token.toUpperCase()}`, `Basic ${token}`, token, `bearer${token}`]) {
      expect((await rpcFailure(as(wrong))).code, wrong).toBe(grpcStatus.UNAUTHENTICATED);
    }
  });
});

describe('TLS', () => {
  it('serves over TLS with the configured certificate and refuses plaintext clients', async () => {
    const certificate = selfSignedCertificate();
    started.push({ close: certificate.cleanup });
    const { gateway } = await startTestGateway({ grpc: { tls: { certFile: certificate.certFile, keyFile: certificate.keyFile } } });
    const secure = createModuleServiceClient(gateway.grpcAddress, { rootCert: certificate.cert, serverName: 'localhost' });
    started.push(secure);
    expect((await secure.GetStats({})).stats?.instance_id).toBe(gateway.app.instanceId);
    const health = healthClient(gateway.grpcAddress, credentials.createSsl(certificate.cert), { 'grpc.ssl_target_name_override': 'localhost' });
    started.push(health);
    expect(await checkHealth(health, '')).toBe('SERVING');

    const plaintext = createModuleServiceClient(gateway.grpcAddress);
    started.push(plaintext);
    expect((await rpcFailure(plaintext.GetStats({}, { timeoutMs: 3000 }))).code).toBe(grpcStatus.UNAVAILABLE);
  });

  it('fails to start, naming the variable, when the certificate cannot be read', async () => {
    await expect(startTestGateway({ grpc: { tls: { certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' } } })).rejects.toThrow(/^GRPC_TLS_CERT: cannot read \/nonexistent\/cert\.pem/);
  });
});
