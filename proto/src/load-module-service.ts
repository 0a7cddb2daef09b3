import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

import type { ProtoGrpcType } from './generated/index.js';

/**
 * Directory holding `marchproxy/*.proto` (the package root). Resolved from this module so it is the
 * same from `src/` (tests) and `dist/` (run time); the .proto files ship with the package.
 */
export const PROTO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The ModuleService file, relative to {@link PROTO_ROOT}. */
export const MODULE_SERVICE_PROTO = 'marchproxy/module.proto';

/** Fully qualified service name, as gRPC paths, health and reflection spell it. */
export const MODULE_SERVICE_NAME = 'marchproxy.ModuleService';

/** The standard gRPC health protocol file, relative to {@link PROTO_ROOT}. */
export const HEALTH_PROTO = 'grpc/health/v1/health.proto';

/**
 * The one set of proto-loader options. The generated types in `src/generated/` describe objects
 * decoded with exactly these (scripts/generate-types.mjs passes the matching flags): field names as
 * in the .proto (`instance_id`), 64-bit integers as decimal strings, enums as their names, absent
 * fields filled with defaults (so handlers read `request.instance_id === ''`, never `undefined`).
 */
export const protoLoaderOptions: Options = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
});

let cachedDefinition: PackageDefinition | undefined;
let cachedHealthDefinition: PackageDefinition | undefined;

/**
 * The parsed package definition of `marchproxy/module.proto` (with types.proto and
 * google/protobuf/timestamp.proto). Parsed once per process; needed as such by server reflection.
 */
export function loadModuleServiceDefinition(): PackageDefinition {
  cachedDefinition ??= loadSync(MODULE_SERVICE_PROTO, protoLoaderOptions);
  return cachedDefinition;
}

/**
 * The gRPC package object of the ModuleService contract: `pkg.marchproxy.ModuleService.service` is
 * the service definition for `server.addService`, `new pkg.marchproxy.ModuleService(address, creds)`
 * a client.
 */
export function loadModuleServicePackage(): ProtoGrpcType {
  return loadPackageDefinition(loadModuleServiceDefinition()) as unknown as ProtoGrpcType;
}

/**
 * The parsed package definition of the standard `grpc.health.v1` health protocol (Check, List,
 * Watch), loaded with the same options. Its two messages are small enough to type by hand where used.
 */
export function loadHealthDefinition(): PackageDefinition {
  cachedHealthDefinition ??= loadSync(HEALTH_PROTO, protoLoaderOptions);
  return cachedHealthDefinition;
}
