import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '../src/start-standalone.js';
import { simulatedProviders, testConfig } from './support/test-config.js';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A private, throw-away Redis on its own port, so this test can take it down without touching others. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('Redis outage', () => {
  let simulator: SimulatedProvider;
  let server: RunningStandalone;
  let redis: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    port = await freePort();
    redis = await startRedis(port);
    server = await startStandalone(
      testConfig({ providers: simulatedProviders(simulator.url), redis: { url: `redis://127.0.0.1:${port}`, prefix: 'outage' } }),
      pino({ level: 'silent' }),
    );
  });

  afterAll(async () => {
    await server?.close();
    await stopRedis(redis);
    await simulator?.close();
  });

  const ask = () =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'oa/sim-small', messages: [{ role: 'user', content: 'are you there?' }] }),
    });

  it('answers 503 queue_unavailable while Redis is down, and recovers when it is back', async () => {
    expect((await ask()).status).toBe(200);

    await stopRedis(redis);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the cached worker count
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toMatch(/queue unavailable|worker/);

    redis = await startRedis(port);
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await ask()).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  }, 30_000);
});
