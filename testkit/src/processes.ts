import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

// testkit/dist/processes.js → the repository root.
const root = fileURLToPath(new URL('../../', import.meta.url));

export interface StartedProcess {
  child: ChildProcess;
  /** Everything the process printed, for assertions and failure messages. */
  output: () => string;
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts a built AILB entry point (`gateway/dist/main.js`, `worker/dist/main.js`) with the given env and
 * resolves once a log line satisfies `ready`. Only the processes started here are ever signalled.
 */
export async function startProcess(
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: (line: Record<string, unknown>) => boolean,
  timeoutMs = 15_000,
): Promise<StartedProcess & { readyLine: Record<string, unknown> }> {
  const child = spawn(process.execPath, [`${root}${entry}`, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exited = once(child, 'exit').then(([code]) => {
    exitCode = code as number | null;
    return exitCode;
  });
  const readyLine = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    let pending = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) {
        try {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (ready(line)) {
            clearTimeout(timer);
            resolve(line);
          }
        } catch {
          // not a JSON log line
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    child,
    readyLine,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
