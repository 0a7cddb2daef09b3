import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AppConfig } from '@ailb/shared';
import { loadHealthDefinition, loadModuleServiceDefinition, MODULE_SERVICE_NAME } from '@ailb/proto';
import { Server, ServerCredentials, status, type Metadata, type ServerOptions } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import type { FastifyInstance } from 'fastify';
import { createHealthService } from './health-service.js';
import { createModuleService, moduleServiceGroups } from './module-service.js';
import { RpcFailure, type RpcGroupFactory } from './rpc.js';

/** Options of {@link startGrpcServer}. */
export interface GrpcServerOptions {
  /** The gateway app: RPC groups read its decorations; its logger and readiness are used. */
  app: FastifyInstance;
  config: AppConfig['grpc'];
  /** The RPC groups to serve. @defaultValue every group of module-service.ts */
  groups?: readonly RpcGroupFactory[];
}

/** A listening gRPC server. */
export interface RunningGrpcServer {
  /** `host:port` a client on this machine dials (a wildcard bind host is given as loopback). */
  address: string;
  port: number;
  /**
   * Stops accepting calls, ends open streams (StreamMetrics, health Watch) and lets in-flight unary
   * calls finish; after `graceMs` the remaining calls are cancelled. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 10_000;

/*
 * The MarchProxy NLB pings every 10 s with no call in flight (timeout 3 s). grpc-js does not police
 * client pings today, but these say what we accept — pings without calls, as often as every 5 s — so
 * a grpc-js that starts enforcing a ping policy keeps the NLB connected instead of sending GOAWAY.
 */
const SERVER_OPTIONS: ServerOptions = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.http2.min_time_between_pings_ms': 5_000,
  'grpc.http2.max_ping_strikes': 0,
};

/**
 * Serves, on `config.host:config.port`: `marchproxy.ModuleService` (behind the bearer token when one
 * is configured), `grpc.health.v1.Health` from the app's readiness, and server reflection (both
 * open, for probes and tools). TLS when a certificate and key are configured.
 */
export async function startGrpcServer({ app, config, groups = moduleServiceGroups }: GrpcServerOptions): Promise<RunningGrpcServer> {
  const closing = new AbortController();
  const credentials = await serverCredentials(config);
  const server = new Server(SERVER_OPTIONS);

  const moduleService = createModuleService(
    app,
    config.authToken === undefined ? { logger: app.log, closing: closing.signal } : { logger: app.log, closing: closing.signal, authenticate: bearerAuthenticator(config.authToken) },
    groups,
  );
  server.addService(moduleService.definition, moduleService.implementation);
  const health = createHealthService({ readiness: app.readiness, closing: closing.signal });
  server.addService(health.definition, health.implementation);
  new ReflectionService({ ...loadModuleServiceDefinition(), ...loadHealthDefinition() }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bracketed(config.host)}:${config.port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const address = `${bracketed(dialableHost(config.host))}:${port}`;
  app.log.info({ address, bind: config.host, tls: config.tls !== undefined, auth: config.authToken !== undefined, service: MODULE_SERVICE_NAME }, 'ModuleService (gRPC) listening');

  let closed: Promise<void> | undefined;
  const close = (graceMs = DEFAULT_GRACE_MS): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      const force = setTimeout(() => {
        app.log.warn({ graceMs }, 'gRPC calls still running after the grace period: cancelling them');
        server.forceShutdown();
        resolve();
      }, graceMs);
      force.unref();
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return closed;
  };
  return { address, port, close };
}

async function serverCredentials(config: AppConfig['grpc']): Promise<ServerCredentials> {
  if (!config.tls) return ServerCredentials.createInsecure();
  const read = async (path: string, variable: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new Error(`${variable}: cannot read ${path}: ${(error as Error).message}`);
    }
  };
  // One after the other, so the error names the first unreadable file the same way every time.
  const certChain = await read(config.tls.certFile, 'GRPC_TLS_CERT');
  const privateKey = await read(config.tls.keyFile, 'GRPC_TLS_KEY');
  return ServerCredentials.createSsl(null, [{ cert_chain: certChain, private_key: privateKey }], false);
}

/** `Bearer <token>`: the scheme in any case, then one or more spaces; the token is the rest. */
const BEARER = /^bearer +(\S+) *$/i;

/**
 * Checks `authorization: Bearer <token>`. The scheme is case-insensitive (RFC 7235: `bearer` and
 * `BEARER` are the same scheme); only the token is compared, after hashing both sides so the
 * comparison takes constant time whatever the lengths. The token is never logged or echoed.
 */
function bearerAuthenticator(token: string): (metadata: Metadata) => void {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  const expected = digest(token);
  return (metadata) => {
    const [supplied] = metadata.get('authorization');
    const credentials = typeof supplied === 'string' ? BEARER.exec(supplied)?.[1] : undefined;
    if (credentials === undefined || !timingSafeEqual(digest(credentials), expected)) {
      throw new RpcFailure(status.UNAUTHENTICATED, 'missing or wrong bearer token: send metadata "authorization: Bearer <GRPC_AUTH_TOKEN>"');
    }
  };
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function dialableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}
