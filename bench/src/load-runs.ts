import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLine, spawnChild } from './children.js';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop.js';
import { parseBashTimes } from './proc-stats.js';

/*
 * The two kinds of load, each driven from a child process so its CPU is measured apart and it never
 * shares an event loop with the harness: closed-loop maximum throughput (wrk, or autocannon when wrk
 * is missing) and the open-loop fixed-rate generator (open-loop.ts).
 */

export interface MaxLoadResult {
  tool: 'wrk' | 'autocannon';
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Non-2xx answers plus socket errors and timeouts; anything but 0 invalidates the run. */
  errors: number;
  errorDetail: string;
  /** CPU of the load generator process over the run. */
  generatorCpuMs: number;
}

export interface MaxLoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  seconds: number;
  connections: number;
  /** A scratch directory for the wrk script. */
  dir: string;
}

let wrkAvailable: boolean | undefined;

/** Whether `wrk` is on PATH (Debian package `wrk`); otherwise autocannon is used. */
export function hasWrk(): boolean {
  if (wrkAvailable === undefined) {
    try {
      execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
      wrkAvailable = true;
    } catch {
      wrkAvailable = false;
    }
  }
  return wrkAvailable;
}

let scripts = 0;

/**
 * Closed-loop maximum throughput: `connections` connections each sending the next request as soon as
 * the previous answer is complete, for `seconds`. The generator runs under `bash -c '…; times'` so its
 * exact CPU (bash's children times) is known after it exits, when /proc no longer has it.
 */
export async function runMaxLoad(options: MaxLoadOptions): Promise<MaxLoadResult> {
  const wrk = hasWrk();
  let argv: string[];
  if (wrk) {
    const script = join(options.dir, `wrk-${scripts++}.lua`);
    const lines = ['wrk.method = "POST"', `wrk.body = [==[${options.body}]==]`, 'wrk.headers["Content-Type"] = "application/json"'];
    for (const [name, value] of Object.entries(options.headers)) lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
    writeFileSync(script, `${lines.join('\n')}\n`);
    argv = ['wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '5s', '-s', script, options.url];
  } else {
    const headerArgs = Object.entries({ 'content-type': 'application/json', ...options.headers }).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
    argv = [process.execPath, 'node_modules/autocannon/autocannon.js', '--json', '-c', String(options.connections), '-d', String(options.seconds), '-m', 'POST', '-b', options.body, ...headerArgs, options.url];
  }
  const generator = await spawnChild(
    wrk ? 'wrk' : 'autocannon',
    { program: 'bash', args: ['-c', '"$@"; code=$?; times; exit $code', 'bench-load', ...argv], env: { PATH: process.env.PATH ?? '' } },
    { keepLines: true, group: true },
  );
  // wrk and autocannon stop by themselves after `seconds`; this only bounds a hung one.
  const killer = setTimeout(() => void generator.stop(1_000), (options.seconds + 15) * 1000);
  const code = await generator.exited;
  clearTimeout(killer);
  const text = generator.lines.join('\n');
  const generatorCpuMs = parseBashTimes(text);
  if (code !== 0) throw new Error(`${generator.name} failed (${code}):\n${generator.output()}`);
  return wrk ? parseWrk(text, generatorCpuMs) : parseAutocannon(text, generatorCpuMs);
}

function parseWrk(text: string, generatorCpuMs: number): MaxLoadResult {
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(text);
  if (!total) throw new Error(`unexpected wrk output:\n${text}`);
  const seconds = Number(total[2]) * (total[3] === 'ms' ? 0.001 : total[3] === 'm' ? 60 : 1);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0;
  return {
    tool: 'wrk',
    requests: Number(total[1]),
    seconds,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? Number(total[1]) / seconds),
    errors: non2xx + socketErrors,
    errorDetail: `non-2xx ${non2xx}${socket ? `, ${socket[0]}` : ''}`,
    generatorCpuMs,
  };
}

function parseAutocannon(text: string, generatorCpuMs: number): MaxLoadResult {
  const line = text.split('\n').find((candidate) => candidate.startsWith('{"'));
  const parsed = line ? (jsonLine(line) as { requests?: { total?: number; average?: number }; duration?: number; non2xx?: number; errors?: number; timeouts?: number } | undefined) : undefined;
  if (!parsed?.requests) throw new Error(`unexpected autocannon output:\n${text}`);
  const requests = parsed.requests.total ?? 0;
  const seconds = parsed.duration ?? 0;
  const errors = (parsed.non2xx ?? 0) + (parsed.errors ?? 0) + (parsed.timeouts ?? 0);
  return { tool: 'autocannon', requests, seconds, requestsPerSecond: requests / seconds, errors, errorDetail: `non-2xx ${parsed.non2xx ?? 0}, errors ${parsed.errors ?? 0}, timeouts ${parsed.timeouts ?? 0}`, generatorCpuMs };
}

/** Runs the open-loop generator (open-loop.ts) in a child process and returns its result. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const generator = await spawnChild('open-loop generator', { program: process.execPath, args: ['bench/dist/open-loop.js', JSON.stringify(options)], env: { PATH: process.env.PATH ?? '' } }, { keepLines: true });
  const boundMs = ((options.warmup + options.count) / options.rate) * 1000 + options.timeoutMs + 15_000;
  const killer = setTimeout(() => void generator.stop(1_000), boundMs);
  const code = await generator.exited;
  clearTimeout(killer);
  const line = generator.lines.map((candidate) => jsonLine(candidate)).find((parsed) => parsed?.msg === 'open-loop result');
  if (code !== 0 || !line) throw new Error(`open-loop generator failed (${code}):\n${generator.output().slice(-2000)}`);
  return line as unknown as OpenLoopResult;
}
