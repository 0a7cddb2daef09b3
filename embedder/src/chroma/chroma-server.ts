import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/** A Chroma server the embedder started itself (from the `chromadb` npm package's CLI). */
export interface OwnChromaServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

export interface StartChromaOptions {
  /** Where Chroma keeps its data; created if missing. Data survives restarts. */
  dataDir: string;
  logger: Logger;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
  /** A fixed port (restarting a server where its clients expect it); default: a free one. */
  port?: number;
}

/** A free loopback port, as the OS hands it out (Chroma's CLI cannot report the port it took for 0). */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts Chroma from the npm package (`node <chromadb>/dist/cli.mjs run`) on a free loopback port with
 * its data under `dataDir`, and waits until it answers its heartbeat. Used when no CHROMA_URL is set:
 * the embedded default, or a single embedder in split mode (several embedders must share one server).
 */
export async function startChromaServer(options: StartChromaOptions): Promise<OwnChromaServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // The package's `bin` (dist/cli.mjs) sits beside its ESM entry; its exports map does not expose it.
  const cli = join(dirname(fileURLToPath(import.meta.resolve('chromadb'))), 'cli.mjs');
  let lastError: Error | undefined;
  // The port is free when probed but could be taken before Chroma binds it: try a few.
  for (let attempt = 0; attempt < (options.port === undefined ? 3 : 1); attempt++) {
    const port = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [cli, 'run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    let ready = false;
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      ready = await isReady(url);
      if (!ready) await new Promise((wait) => setTimeout(wait, 100));
    }
    if (ready) {
      options.logger.info({ url, dataDir, pid: child.pid }, 'started Chroma');
      // Its banner and later output go to debug logs only.
      child.stdout?.removeListener('data', collect);
      child.stderr?.removeListener('data', collect);
      child.stdout?.on('data', (chunk: Buffer) => options.logger.debug({ chroma: chunk.toString().trim() }, 'chroma'));
      child.stderr?.on('data', (chunk: Buffer) => options.logger.debug({ chroma: chunk.toString().trim() }, 'chroma'));
      return ownServer(url, child, exited, options.logger);
    }
    await stopChild(child, exited);
    lastError = new Error(`Chroma did not start on port ${port}: ${output.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-5).join(' | ') || 'no output'}`);
  }
  throw lastError ?? new Error('Chroma did not start');
}

function ownServer(url: string, child: ChildProcess, exited: Promise<number | null>, logger: Logger): OwnChromaServer {
  let stopping: Promise<void> | undefined;
  // A process that exits without closing the embedder (a crash, process.exit) takes its Chroma along.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  void exited.then((code) => {
    if (!stopping) logger.error({ code, pid: child.pid }, 'Chroma exited unexpectedly');
  });
  return {
    url,
    pid: child.pid!,
    stop: () => (stopping ??= stopChild(child, exited)),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
