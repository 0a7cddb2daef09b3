import { BAD_REQUEST_TYPE, encodeRpcStatus, loadModuleServicePackage, STATUS_DETAILS_TRAILER, timestampFromDate, type Error as ProtoError, type StatusCode } from '@ailb/proto';
import {
  Metadata,
  status,
  type MethodDefinition,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { configRpcs } from './config-rpcs.js';
import { deploymentRpcs } from './deployment-rpcs.js';
import { fleetRpcs } from './fleet-rpcs.js';
import { metricsRpcs } from './metrics-rpcs.js';
import { shutdownRpcs } from './shutdown-rpc.js';
import { rateLimitRpcs } from './rate-limit-rpcs.js';
import { routesRpcs } from './routes-rpcs.js';
import { RpcFailure, type ModuleServiceMethod, type ModuleServiceRpcs, type RpcCall, type RpcGroup, type RpcGroupFactory } from './rpc.js';

/**
 * The RPC groups this gateway serves, one factory per concern (routes, rate limits, deployment, …).
 * A method no group implements answers UNIMPLEMENTED. Add a group with one line here.
 */
export const moduleServiceGroups: readonly RpcGroupFactory[] = [
  rateLimitRpcs,
  fleetRpcs,
  deploymentRpcs,
  metricsRpcs,
  shutdownRpcs,
  routesRpcs,
  configRpcs,
];

/**
 * Trailing metadata key carrying the method's own response message, encoded, when a call fails on a
 * method whose response has an `Error error` field: `success=false`, `message`, and `error` with the
 * MarchProxy StatusCode, the message and `details.field` for INVALID_ARGUMENT. The gRPC status stays
 * the truth (a client that ignores the trailer loses nothing); the trailer is the "also reported in
 * the response's Error field" the contract asks for, without answering OK to a failed call.
 */
export const RESPONSE_TRAILER = 'marchproxy-response-bin';

/** Options of {@link createModuleService}. */
export interface ModuleServiceOptions {
  /** Where handler crashes are logged. */
  logger: FastifyBaseLogger;
  /** Aborted when the server closes: open streams end cleanly. */
  closing?: AbortSignal;
  /**
   * Runs before every handler with the request metadata; throws an {@link RpcFailure}
   * (UNAUTHENTICATED) to refuse the call. Absent: every call is accepted.
   */
  authenticate?: (metadata: Metadata) => void;
}

/** The service definition to register and its implementation. */
export interface ModuleService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

// gRPC status → the MarchProxy StatusCode put in a response's Error field.
const STATUS_CODES: Partial<Record<status, StatusCode>> = {
  [status.INVALID_ARGUMENT]: 'STATUS_CODE_INVALID_ARGUMENT',
  [status.NOT_FOUND]: 'STATUS_CODE_NOT_FOUND',
  [status.UNAVAILABLE]: 'STATUS_CODE_UNAVAILABLE',
  [status.PERMISSION_DENIED]: 'STATUS_CODE_PERMISSION_DENIED',
  [status.UNAUTHENTICATED]: 'STATUS_CODE_PERMISSION_DENIED',
  [status.ALREADY_EXISTS]: 'STATUS_CODE_ALREADY_EXISTS',
  [status.RESOURCE_EXHAUSTED]: 'STATUS_CODE_RESOURCE_EXHAUSTED',
};

interface Failure {
  code: status;
  message: string;
  field?: string;
}

/**
 * Merges the groups into one grpc-js implementation of `marchproxy.ModuleService`: promise-style
 * handlers become callbacks, an {@link RpcFailure} becomes its status, anything else thrown becomes
 * INTERNAL with a generic message (the error itself is only logged, so no detail — or secret — of it
 * reaches the caller). Two groups implementing one method is a programming error and throws here.
 */
export function createModuleService(app: FastifyInstance, options: ModuleServiceOptions, groups: readonly RpcGroupFactory[] = moduleServiceGroups): ModuleService {
  const definition = loadModuleServicePackage().marchproxy.ModuleService.service;
  const handlers = mergeGroups(groups.map((group) => group(app)));
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition) as [ModuleServiceMethod, MethodDefinition<object, object>][]) {
    const context = { name, method, options, reportsError: responseHasErrorField(method) };
    const handler = handlers[name];
    if (method.responseStream) {
      implementation[name] = serveStream(context, handler as ModuleServiceRpcs['StreamMetrics'] | undefined);
    } else {
      implementation[name] = serveUnary(context, handler as ((request: object, call: RpcCall) => Promise<object>) | undefined);
    }
  }
  return { definition, implementation };
}

function mergeGroups(groups: readonly RpcGroup[]): RpcGroup {
  const merged: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (handler === undefined) continue;
      if (name in merged) throw new Error(`ModuleService method ${name} is implemented by two RPC groups`);
      merged[name] = handler;
    }
  }
  return merged as RpcGroup;
}

interface MethodContext {
  name: ModuleServiceMethod;
  method: MethodDefinition<object, object>;
  options: ModuleServiceOptions;
  reportsError: boolean;
}

function serveUnary(context: MethodContext, handler: ((request: object, call: RpcCall) => Promise<object>) | undefined) {
  return (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>): void => {
    const controller = new AbortController();
    call.once('cancelled', () => controller.abort());
    const run = async (): Promise<object> => {
      context.options.authenticate?.(call.metadata);
      if (!handler) throw notImplemented(context.name);
      return handler(call.request, { metadata: call.metadata, signal: controller.signal });
    };
    run().then(
      (response) => callback(null, response),
      (error: unknown) => {
        const failure = toFailure(context, error);
        callback({ code: failure.code, details: failure.message, metadata: errorTrailer(context, failure) });
      },
    );
  };
}

function serveStream(context: MethodContext, handler: ModuleServiceRpcs['StreamMetrics'] | undefined) {
  return (call: ServerWritableStream<object, object>): void => {
    const controller = new AbortController();
    call.once('cancelled', () => controller.abort());
    const signals = context.options.closing ? [controller.signal, context.options.closing] : [controller.signal];
    const signal = AbortSignal.any(signals);
    const run = async (): Promise<void> => {
      context.options.authenticate?.(call.metadata);
      if (!handler) throw notImplemented(context.name);
      for await (const message of handler(call.request as never, { metadata: call.metadata, signal })) {
        if (controller.signal.aborted) break;
        // Respect HTTP/2 flow control: a slow reader must not make the server buffer without bound.
        if (!call.write(message)) await drained(call, signal);
      }
    };
    run().then(
      () => call.end(),
      (error: unknown) => {
        const failure = toFailure(context, error);
        call.emit('error', { code: failure.code, details: failure.message, metadata: errorTrailer(context, failure) });
      },
    );
  };
}

function drained(call: ServerWritableStream<object, object>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

function notImplemented(name: string): RpcFailure {
  return new RpcFailure(status.UNIMPLEMENTED, `marchproxy.ModuleService/${name} is not implemented yet by AILB`);
}

function toFailure(context: MethodContext, error: unknown): Failure {
  if (error instanceof RpcFailure) {
    return error.field === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, field: error.field };
  }
  context.options.logger.error({ err: error, rpc: context.name }, 'ModuleService handler failed');
  return { code: status.INTERNAL, message: `${context.name} failed with an internal error; the gateway logged it` };
}

function responseHasErrorField(method: MethodDefinition<object, object>): boolean {
  const responseType = (method as { responseType?: { type?: { field?: { name: string; typeName: string }[] } } }).responseType;
  return responseType?.type?.field?.some((field) => field.name === 'error' && /(^|\.)Error$/.test(field.typeName)) ?? false;
}

/**
 * The trailing metadata of a failed call: the standard `grpc-status-details-bin` (a `google.rpc.Status`
 * with a `BadRequest` naming the field for INVALID_ARGUMENT), which grpc-go and other clients decode,
 * and, for methods whose response has an Error field, {@link RESPONSE_TRAILER}.
 */
function errorTrailer(context: MethodContext, failure: Failure): Metadata {
  const trailer = new Metadata();
  const badRequest = failure.field === undefined ? [] : [{ '@type': BAD_REQUEST_TYPE, field_violations: [{ field: failure.field, description: withoutField(failure.message, failure.field) }] }];
  trailer.set(STATUS_DETAILS_TRAILER, encodeRpcStatus({ code: failure.code, message: failure.message, details: badRequest }));
  if (!context.reportsError) return trailer;
  const error: ProtoError = {
    code: STATUS_CODES[failure.code] ?? 'STATUS_CODE_ERROR',
    message: failure.message,
    details: failure.field === undefined ? { grpc_status: status[failure.code] } : { field: failure.field, grpc_status: status[failure.code] },
    occurred_at: timestampFromDate(new Date()),
  };
  trailer.set(RESPONSE_TRAILER, context.method.responseSerialize({ success: false, message: failure.message, error }));
  return trailer;
}

/** The message of {@link invalidArgument} without its leading "field: ", which the violation names already. */
function withoutField(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
