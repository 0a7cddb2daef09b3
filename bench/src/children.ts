import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { commandLine } from './proc-stats.js';

/*
 * Child processes of the benchmark. Like testkit's `startProcess`, readiness is a log line on stdout
 * (AILB's JSON log lines, the mock's and the preload's lines, redis-server's banner). Unlike it, every
 * child is registered the moment it is spawned, so a start that times out, an abort or a Ctrl-C still
 * ends it; the harness also needs node flags (`-r` preloads) and non-node programs (redis-server, wrk).
 * Only the PIDs registered here are ever signalled, and the grandchildren adopted here (a Chroma server
 * an AILB process started), which are signalled only while their command line still matches.
 */

/** The repository root (bench/dist/children.js → ../../). Entry points are given relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How to start one process: the program, its arguments and its complete environment. */
export interface Command {
  program: string;
  args: string[];
  env: Record<string, string>;
}

export interface Child {
  name: string;
  pid: number;
  /** Signalled as a process group (`-pid`): a shell wrapper and the program it runs. */
  group: boolean;
  child: ChildProcess;
  /** The stdout line that made it ready ('' without a readiness test). */
  readyLine: string;
  /** The tail of what it printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Complete stdout lines so far (kept only when `keepLines` was asked for). */
  lines: string[];
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Idempotent. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface SpawnOptions {
  /** Resolve once a stdout line satisfies this; without it, resolve as soon as the process is spawned. */
  ready?: (line: string) => boolean;
  timeoutMs?: number;
  /** Keep every stdout line (for generators that print their result). */
  keepLines?: boolean;
  /** Own process group, signalled as a group (for a shell wrapper and the program it runs). */
  group?: boolean;
}

const OUTPUT_TAIL = 16_384;
const running = new Set<Child>();
/** Adopted grandchildren: PID → a fragment its command line must contain (PIDs get reused). */
const adopted = new Map<number, string>();

const isAdoptedAlive = (pid: number) => commandLine(pid).includes(adopted.get(pid) ?? '\0');

/**
 * Takes responsibility for a process a child started (Chroma, started by AILB): its CPU counts as the
 * benchmark's, not as other processes', and if it outlives its parent it is stopped like the children.
 */
export function adoptProcess(pid: number, commandFragment: string): void {
  adopted.set(pid, commandFragment);
}

/** Parses a JSON log line, or undefined when the line is not one. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Readiness test for JSON log lines: `ready(jsonLine(msg === …))`. */
export const whenJson = (test: (line: Record<string, unknown>) => boolean) => (line: string) => {
  const parsed = jsonLine(line);
  return parsed !== undefined && test(parsed);
};

/** The shell form of a command, for printing (the exact command line and the env that matters). */
export function describeCommand(command: Command, envKeys: string[] = Object.keys(command.env)): string {
  const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
  const env = envKeys.filter((key) => key in command.env && key !== 'PATH').map((key) => `${key}=${quote(command.env[key]!)}`);
  return [...env, command.program === process.execPath ? 'node' : command.program, ...command.args].map((word, index) => (index < env.length ? word : quote(word))).join(' ');
}

/**
 * Spawns a process (cwd: the repository root) and, when `ready` is given, resolves once a stdout line
 * passes it. A process that exits first or is not ready in time is stopped and the start rejected with
 * its output.
 */
export async function spawnChild(name: string, command: Command, options: SpawnOptions = {}): Promise<Child> {
  const processHandle = spawn(command.program, command.args, { cwd: REPO_ROOT, env: command.env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.group === true });
  if (processHandle.pid === undefined) {
    const [error] = (await once(processHandle, 'error')) as [Error];
    throw new Error(`${name}: could not start ${command.program}: ${error.message}`);
  }
  const pid = processHandle.pid;
  let tail = '';
  let pending = '';
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let exitValue: number | string | undefined;
  const exited = new Promise<number | string>((resolve) =>
    processHandle.once('exit', (code, signal) => {
      exitValue = code ?? signal ?? 'unknown';
      running.delete(child);
      resolve(exitValue);
    }),
  );
  const append = (text: string) => {
    tail = (tail + text).slice(-OUTPUT_TAIL);
  };
  processHandle.stdout!.on('data', (data: Buffer) => {
    const text = data.toString();
    append(text);
    pending += text;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      if (options.keepLines) lines.push(line);
      for (const listener of listeners) listener(line);
    }
  });
  processHandle.stderr!.on('data', (data: Buffer) => append(data.toString()));

  const signal = (which: NodeJS.Signals) => {
    try {
      process.kill(options.group ? -pid : pid, which);
    } catch {
      // already gone
    }
  };
  let stopping: Promise<number | string> | undefined;
  const child: Child = {
    name,
    pid,
    group: options.group === true,
    child: processHandle,
    readyLine: '',
    output: () => tail,
    lines,
    exited,
    stop(graceMs = 5_000) {
      if (exitValue !== undefined) return Promise.resolve(exitValue);
      stopping ??= (async () => {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        const value = await exited;
        clearTimeout(timer);
        return value;
      })();
      return stopping;
    },
  };
  running.add(child);
  if (!options.ready) return child;

  const ready = options.ready;
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready in ${timeoutMs} ms:\n${tail}`)), timeoutMs);
      listeners.add((line) => {
        if (ready(line)) {
          child.readyLine = line;
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((value) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${value}) before it was ready:\n${tail}`));
      });
    });
  } catch (error) {
    await child.stop(1_000);
    throw error;
  } finally {
    listeners.clear();
  }
  return child;
}

/** Stops every child still running, in parallel; used at the end and on abort. */
export async function stopAll(graceMs = 5_000): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(graceMs)));
  // Normally gone with their parents; an orphan (its parent was killed) is stopped here.
  for (const pid of adopted.keys()) {
    const signal = (which: NodeJS.Signals) => {
      try {
        if (isAdoptedAlive(pid)) process.kill(pid, which);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    for (const deadline = performance.now() + graceMs; isAdoptedAlive(pid) && performance.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    signal('SIGKILL');
  }
}

/** PIDs of every child still running (for telling the benchmark's CPU from everyone else's). */
export function runningPids(): number[] {
  return [...[...running].map((child) => child.pid), ...[...adopted.keys()].filter(isAdoptedAlive)];
}

/** Last resort on a synchronous exit: SIGKILL whatever is still registered (by PID or own group). */
export function killAllNow(): void {
  const targets = [...[...running].map((child) => (child.group ? -child.pid : child.pid)), ...[...adopted.keys()].filter(isAdoptedAlive)];
  for (const target of targets) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
