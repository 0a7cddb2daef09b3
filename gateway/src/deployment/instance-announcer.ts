import { hostname } from 'node:os';
import type { GatewayState, InstanceDetails, InstanceHealth } from '@ailb/shared';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Options of {@link InstanceAnnouncer}. */
export interface InstanceAnnouncerOptions {
  app: FastifyInstance;
  state: Pick<GatewayState, 'heartbeat' | 'deregister'>;
  logger: FastifyBaseLogger;
  version: string;
  /** This gateway's health now (a shallow check). */
  health: () => Promise<InstanceHealth>;
  /** @defaultValue 2000 */
  heartbeatMs?: number;
}

/** An address others can reach: a wildcard listen address is replaced by the host name. */
function reachableHost(address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '') return hostname();
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The gateway's heartbeat in the instance registry (`GetInstances`): every `heartbeatMs` one write
 * with its version, HTTP and gRPC addresses, health and open connections. It says `stopping` as soon
 * as the gateway begins to close and leaves the registry once closed.
 */
export class InstanceAnnouncer {
  readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private grpcAddress = '';
  private stopping = false;
  private closed = false;
  /** The beat being written: closing waits for it, so a late beat cannot re-register a closed gateway. */
  private beating: Promise<void> | undefined;

  constructor(private readonly options: InstanceAnnouncerOptions) {}

  /** The gRPC server's address, once it listens (announced from the next beat). */
  setGrpcAddress(address: string): void {
    this.grpcAddress = address;
    void this.beat();
  }

  /** Announces now and every `heartbeatMs`. */
  start(): void {
    if (this.timer || this.closed) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs ?? 2000);
    this.timer.unref();
  }

  /** The gateway began to close: announce `stopping` at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.beat();
  }

  /** Stops the heartbeat and leaves the registry. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.beating;
    await this.options.state.deregister('gateway', this.options.app.instanceId).catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not leave the instance registry'));
  }

  /** `host:port` this gateway serves HTTP on ('' before it listens, as in app.inject() tests). */
  httpAddress(): string {
    const address = this.options.app.server.address();
    if (address === null || typeof address === 'string') return address ?? '';
    return `${reachableHost(address.address)}:${address.port}`;
  }

  /** The gRPC address announced ('' until the gRPC server listens). */
  get grpc(): string {
    return this.grpcAddress;
  }

  /** Open HTTP connections now. */
  connections(): Promise<number> {
    return new Promise((resolve) => this.options.app.server.getConnections((error, count) => resolve(error ? 0 : count)));
  }

  private beat(): Promise<void> {
    const previous = this.beating ?? Promise.resolve();
    const beat = previous.then(() => this.write());
    this.beating = beat;
    void beat.finally(() => {
      if (this.beating === beat) this.beating = undefined;
    });
    return beat;
  }

  private async write(): Promise<void> {
    if (this.closed) return;
    try {
      const [health, connections] = await Promise.all([this.stopping ? Promise.resolve<InstanceHealth>('stopping') : this.options.health(), this.connections()]);
      const http = this.httpAddress();
      const details: InstanceDetails = {
        version: this.options.version,
        address: http,
        health,
        startedAt: this.startedAt,
        connections,
        metadata: { role: 'gateway', http_url: http === '' ? '' : `http://${http}`, grpc_address: this.grpcAddress },
      };
      if (this.closed) return;
      await this.options.state.heartbeat('gateway', this.options.app.instanceId, Date.now(), details);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'gateway heartbeat failed');
    }
  }
}
