import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chat, closeClient, tally, type Outcome } from './chaos-client.js';
import { killAllNow, spawnChild, stopAll, whenJson, type Child, type Command } from './children.js';
import { freePort } from './free-port.js';
import { rssMiB } from './proc-stats.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';

/*
 * `npm run bench:chaos`: durability under faults, measured on AILB's split mode over a private
 * redis-server, against the simulated provider, loopback only (not in CI; about 13 minutes):
 * 1. 1,000 requests while workers are SIGKILLed and replaced every 2 s: every request gets exactly
 *    one answer, complete or a clean error, never a truncated success;
 * 2. Redis stopped for 6 s under load and started again: 503 with Retry-After while it is down, every
 *    request served again within 5 s of its return, no process exits;
 * 3. a soak at 200 requests per second (CHAOS_SOAK_MINUTES, default 10): RSS of each process at the
 *    start and the end.
 * Everything it starts is stopped by PID at the end, on error and on Ctrl-C. CHAOS_OUT=<file> also
 * writes the figures as JSON.
 */
const log = (line: string) => process.stderr.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'ailb-chaos-'));
const SOAK_MINUTES = Number(process.env.CHAOS_SOAK_MINUTES ?? 10);
let redis: PrivateRedis | undefined;
const results: Record<string, unknown> = {};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping every process the chaos run started`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  killAllNow();
  rmSync(dir, { recursive: true, force: true });
});

const node = (args: string[], env: Record<string, string>): Command => ({ program: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env } });

async function main(): Promise<void> {
  const simulatorPort = await freePort();
  await spawnChild('simulator', node(['testkit/dist/main.js', '--port', String(simulatorPort)], {}), { ready: (line) => line.includes('Simulated provider listening') });
  const redisPort = await freePort();
  redis = await startPrivateRedis(redisPort, dir);
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    AILB_REDIS_PREFIX: 'chaos',
    OPENAI_BASE_URL: `http://127.0.0.1:${simulatorPort}/v1`,
    OPENAI_API_KEY: 'sk-sim',
    OPENAI_MODELS: 'sim-small',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    ENABLE_MEMORY: 'false',
    ENABLE_RAG: 'false',
    AILB_DATA_DIR: dir,
    // A killed worker's jobs are taken over once its lock lapses: 2 s instead of 10 keeps the run short.
    AILB_WORKER_LOCK_MS: '2000',
    AILB_REQUEST_TIMEOUT_MS: '30000',
  };
  // Readiness lines are info (so are the per-request lines: the run includes what a default deployment
  // logs; the harness keeps only the tail of each process's output).
  const infoEnv = { ...env, LOG_LEVEL: 'info' };
  let url = '';
  const gateway = await spawnChild('gateway', node(['gateway/dist/main.js'], infoEnv), {
    ready: whenJson((line) => {
      if (line.msg === 'AILB gateway listening') url = String(line.url);
      return url !== '';
    }),
  });
  const startWorker = (index: number) => spawnChild(`worker-${index}`, node(['worker/dist/main.js'], infoEnv), { ready: whenJson((line) => line.msg === 'worker started') });
  const workers: Child[] = [await startWorker(0), await startWorker(1)];
  log(`gateway ${url}, workers ${workers.map((worker) => worker.pid).join(', ')}, redis ${redis.url}`);

  // 1. Worker kills.
  let started = 2;
  let killing = true;
  const kills: number[] = [];
  const killer = (async () => {
    while (killing) {
      await sleep(2000);
      if (!killing) break;
      const victim = workers.shift()!;
      process.kill(victim.pid, 'SIGKILL');
      kills.push(victim.pid);
      workers.push(await startWorker(started++));
    }
  })();
  const killed = await openLoop(url, { count: 1000, rate: 40, mix: (index) => ({ stream: index % 2 === 0, tokens: 20, tps: 100 }) });
  killing = false;
  await killer;
  results.workerKills = { requests: killed.length, kills: kills.length, outcomes: tally(killed) };
  log(`worker kills: ${JSON.stringify(results.workerKills)}`);

  // 2. Redis down for 6 s under load.
  const redisStart = performance.now();
  const sent: Array<{ at: number; outcome: Outcome }> = [];
  let stoppedAt = 0;
  let restartedAt = 0;
  const outage = (async () => {
    await sleep(6000);
    await redis!.close();
    stoppedAt = performance.now() - redisStart;
    log(`redis stopped at ${Math.round(stoppedAt)} ms`);
    await sleep(6000);
    redis = await startPrivateRedis(redisPort, dir);
    restartedAt = performance.now() - redisStart;
    log(`redis back at ${Math.round(restartedAt)} ms`);
  })();
  await openLoop(url, { count: 1000, rate: 40, mix: () => ({ stream: false, tokens: 5, tps: 0 }), each: (at, outcome) => sent.push({ at: at - redisStart, outcome }) });
  await outage;
  const during = sent.filter(({ at }) => at >= stoppedAt + 500 && at < restartedAt).map(({ outcome }) => outcome);
  const lastFailure = Math.max(0, ...sent.filter(({ outcome }) => outcome.verdict !== 'complete' && outcome.status !== 0).map(({ at }) => at));
  const alive = [gateway, ...workers].filter((child) => !Number.isNaN(rssMiB(child.pid))).length;
  results.redisRestart = {
    downMs: Math.round(restartedAt - stoppedAt),
    whileDown: tally(during),
    whileDownWithRetryAfter: during.filter((outcome) => outcome.status === 503 && outcome.retryAfter !== undefined).length,
    recoveredWithinMs: Math.round(Math.max(0, lastFailure - restartedAt)),
    after: tally(sent.filter(({ at }) => at >= restartedAt).map(({ outcome }) => outcome)),
    processesAlive: `${alive} of ${1 + workers.length}`,
  };
  log(`redis restart: ${JSON.stringify(results.redisRestart)}`);

  // 3. Soak.
  const rss = () => ({ gateway: rssMiB(gateway.pid), ...Object.fromEntries(workers.map((worker, index) => [`worker-${index}`, rssMiB(worker.pid)])), redis: rssMiB(redis!.server.pid) });
  // RSS says what the OS gave; the gateway's heap in use (from its /metrics) says whether objects pile up.
  const gatewayHeap = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^ailb_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN) / 1048576;
  };
  const samples: Array<Record<string, number>> = [];
  const sample = async (minute: number) => samples.push({ minute, ...rss(), gatewayHeapUsed: await gatewayHeap() });
  const soakCount = Math.round(SOAK_MINUTES * 60 * 200);
  const sampler = setInterval(() => void sample(samples.length * 0.5), 30_000);
  await sample(0);
  const soaked = await openLoop(url, { count: soakCount, rate: 200, mix: (index) => ({ stream: index % 4 === 0, tokens: 5, tps: 0 }) });
  clearInterval(sampler);
  await sample(SOAK_MINUTES);
  results.soak = { minutes: SOAK_MINUTES, requests: soaked.length, outcomes: tally(soaked), rssMiB: { start: samples[1] ?? samples[0], end: samples.at(-1), samples } };
  log(`soak: ${JSON.stringify({ ...(results.soak as object), rssMiB: { start: samples[1] ?? samples[0], end: samples.at(-1) } })}`);

  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (process.env.CHAOS_OUT) writeFileSync(process.env.CHAOS_OUT, JSON.stringify(results, null, 2));
}

/** Sends `count` requests at `rate` per second whatever the answers do (open loop); resolves with every outcome. */
async function openLoop(url: string, options: { count: number; rate: number; mix: (index: number) => { stream: boolean; tokens: number; tps: number }; each?: (sentAt: number, outcome: Outcome) => void }): Promise<Outcome[]> {
  const outcomes: Promise<Outcome>[] = [];
  const startedAt = performance.now();
  for (let index = 0; index < options.count; index++) {
    const due = startedAt + (index * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const at = performance.now();
    const outcome = chat(url, { ...options.mix(index), timeoutMs: 40_000 });
    outcomes.push(options.each ? outcome.then((result) => (options.each!(at, result), result)) : outcome);
  }
  return Promise.all(outcomes);
}

main()
  .catch((error: unknown) => {
    log(`chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    closeClient();
    await stopAll();
    await redis?.close().catch(() => undefined);
  });
