import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type StartedProcess } from './processes.js';
import { deletePrefix, randomPrefix, REDIS_URL } from './redis-keys.js';

/**
 * AILB in split mode as deployed: gateway, worker and embedder processes (the built entry points) sharing the
 * local Redis under a random key prefix, configured by a YAML file written for the occasion. `close`
 * stops every process it started, removes the file and deletes the prefix's keys.
 */
export class SplitDeployment {
  readonly prefix = randomPrefix();
  readonly processes: StartedProcess[] = [];
  /** The environment every process gets; add to it before starting processes. */
  readonly env: Record<string, string>;
  private readonly directory: string;

  constructor(configYaml: string, env: Record<string, string> = {}) {
    this.directory = mkdtempSync(join(tmpdir(), 'ailb-split-'));
    const configPath = join(this.directory, 'ailb.yaml');
    writeFileSync(configPath, configYaml);
    this.env = { REDIS_URL, AILB_REDIS_PREFIX: this.prefix, AILB_CONFIG: configPath, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', GRPC_HOST: '127.0.0.1', GRPC_PORT: '0', LOG_LEVEL: 'info', ...env };
  }

  /** Starts a gateway (the split-mode edge); resolves with its process, base URL and gRPC address once it listens. */
  async startGateway(): Promise<StartedProcess & { url: string; grpcAddress: string; instanceId: string }> {
    const gateway = await startProcess('gateway/dist/main.js', [], this.env, (line) => line.msg === 'AILB gateway listening');
    this.processes.push(gateway);
    return Object.assign(gateway, { url: String(gateway.readyLine.url), grpcAddress: String(gateway.readyLine.grpc), instanceId: String(gateway.readyLine.instanceId) });
  }

  /** Starts a worker; resolves once it takes jobs. */
  async startWorker(): Promise<StartedProcess> {
    const worker = await startProcess('worker/dist/main.js', [], this.env, (line) => line.msg === 'worker started');
    this.processes.push(worker);
    return worker;
  }

  /** Starts an embedder (memory, knowledge bases); resolves once it takes jobs. */
  async startEmbedder(): Promise<StartedProcess> {
    const embedder = await startProcess('embedder/dist/main.js', [], this.env, (line) => line.msg === 'embedder started', 30_000);
    this.processes.push(embedder);
    return embedder;
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop()));
    rmSync(this.directory, { recursive: true, force: true });
    await deletePrefix(this.prefix);
  }
}
