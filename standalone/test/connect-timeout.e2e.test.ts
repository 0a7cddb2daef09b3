import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { DEFAULT_CIRCUIT, DEFAULT_TIMEOUTS } from '@ailb/shared';
import { startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '../src/start-standalone.js';
import { NEVER_OPENS, simulatedProviders, testConfig } from './support/test-config.js';

/*
 * A provider whose port never completes a TCP handshake: a loopback listener with a zero backlog that
 * never accepts, its queue filled first, so further connection attempts hang. connect_ms must cut
 * them short and the request must fail over.
 */
const LISTENER = `
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
print(s.getsockname()[1], flush=True)
time.sleep(120)
`;

describe('connect timeout', () => {
  let listener: ChildProcess;
  let fillers: Socket[] = [];
  let simulator: SimulatedProvider;
  let server: RunningStandalone;

  beforeAll(async () => {
    listener = spawn('python3', ['-c', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [data] = (await once(listener.stdout!, 'data')) as [Buffer];
    const port = Number(data.toString().trim());
    fillers = Array.from({ length: 3 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    simulator = await startSimulatedProvider();
    const providers = [...simulatedProviders(simulator.url), { id: 'unanswering', type: 'openai' as const, base_url: `http://127.0.0.1:${port}/v1`, api_key: 'sk-test-blackhole-0001', models: ['sim-small'], default_max_tokens: 4096 }];
    server = await startStandalone(
      testConfig({
        providers,
        routing: { strategy: 'failover', timeouts: DEFAULT_TIMEOUTS, retries: { maxAttemptsPerTarget: 1, backoffBaseMs: 10, backoffMaxMs: 10 }, circuit: { ...DEFAULT_CIRCUIT, ...NEVER_OPENS }, ewmaAlpha: 0.1 },
        routes: [
          {
            model: 'guarded',
            strategy: 'failover',
            targets: [
              { provider: 'unanswering', model: 'sim-small', priority: 0, weight: 1, timeouts: { connect_ms: 300 } },
              { provider: 'an', model: 'sim-large', priority: 1, weight: 1 },
            ],
            fallbacks: [],
          },
        ],
      }),
      pino({ level: 'silent' }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await simulator?.close();
    for (const filler of fillers) filler.destroy();
    listener?.kill();
  });

  it('gives up on a connection that is never accepted within connect_ms and fails over', async () => {
    const startedAt = Date.now();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'guarded', messages: [{ role: 'user', content: 'anyone home?' }] }),
    });
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(response.headers.get('x-ailb-provider')).toBe('an');
    expect(response.headers.get('x-ailb-attempts')).toMatch(/^unanswering\/sim-small=upstream_timeout;\d+ms, an\/sim-large=success;\d+ms$/);
  });
});
