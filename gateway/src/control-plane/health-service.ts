import { loadHealthDefinition, MODULE_SERVICE_NAME } from '@ailb/proto';
import {
  loadPackageDefinition,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Readiness, ReadinessResult } from '../health/readiness.js';

// grpc.health.v1 messages, decoded with @ailb/proto's options (enums as names). Two fields in all.
type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
interface HealthCheckRequest {
  service: string;
}
interface HealthCheckResponse {
  status: ServingStatus;
}

/** Options of {@link createHealthService}. */
export interface HealthServiceOptions {
  readiness: Readiness;
  /** Aborted when the server closes: watchers get NOT_SERVING and their stream ends. */
  closing: AbortSignal;
}

/** The health service definition to register and its implementation. */
export interface HealthService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/**
 * `grpc.health.v1.Health` over the gateway's {@link Readiness}: the server as a whole ("") and
 * `marchproxy.ModuleService` are SERVING exactly when /readyz answers 200, NOT_SERVING otherwise
 * and once the server is closing. Check answers NOT_FOUND for another service name; Watch sends
 * SERVICE_UNKNOWN for one (as the protocol says) and keeps the call open. Never behind the
 * ModuleService token: probes carry no credentials.
 */
export function createHealthService({ readiness, closing }: HealthServiceOptions): HealthService {
  const packageObject = loadPackageDefinition(loadHealthDefinition()) as unknown as { grpc: { health: { v1: { Health: { service: ServiceDefinition } } } } };
  const services = new Set(['', MODULE_SERVICE_NAME]);
  const statusOf = (result: ReadinessResult): ServingStatus => (closing.aborted || !result.ready ? 'NOT_SERVING' : 'SERVING');

  const implementation: UntypedServiceImplementation = {
    Check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      const { service } = call.request;
      if (!services.has(service)) {
        callback({ code: status.NOT_FOUND, details: `unknown service "${service}"; known: "" and "${MODULE_SERVICE_NAME}"` });
        return;
      }
      readiness.check().then(
        (result) => callback(null, { status: statusOf(result) }),
        () => callback(null, { status: 'NOT_SERVING' }),
      );
    },

    List(_call: ServerUnaryCall<object, { statuses: Record<string, HealthCheckResponse> }>, callback: sendUnaryData<{ statuses: Record<string, HealthCheckResponse> }>) {
      readiness.check().then(
        (result) => callback(null, { statuses: Object.fromEntries([...services].map((service) => [service, { status: statusOf(result) }])) }),
        () => callback(null, { statuses: Object.fromEntries([...services].map((service) => [service, { status: 'NOT_SERVING' }])) }),
      );
    },

    Watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      let sent: ServingStatus | undefined;
      const send = (next: ServingStatus): void => {
        if (next === sent) return;
        sent = next;
        call.write({ status: next });
      };
      let stop = (): void => {};
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        stop();
        closing.removeEventListener('abort', onClosing);
        call.end();
      };
      const onClosing = (): void => {
        send('NOT_SERVING');
        finish();
      };
      call.once('cancelled', finish);
      if (closing.aborted) return onClosing();
      closing.addEventListener('abort', onClosing, { once: true });
      if (!services.has(call.request.service)) return send('SERVICE_UNKNOWN');
      stop = readiness.watch((result) => send(statusOf(result)));
    },
  };
  return { definition: packageObject.grpc.health.v1.Health.service, implementation };
}
