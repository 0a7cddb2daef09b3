/**
 * `@ailb/proto`: MarchProxy's ModuleService contract for AILB — the .proto files (shipped in
 * `marchproxy/`), TypeScript types generated from them (`npm run proto:generate`), and the one loader
 * every server and client uses so decoded objects match those types.
 */
export * from './generated/index.js';
export {
  HEALTH_PROTO,
  loadHealthDefinition,
  loadModuleServiceDefinition,
  loadModuleServicePackage,
  MODULE_SERVICE_NAME,
  MODULE_SERVICE_PROTO,
  PROTO_ROOT,
  protoLoaderOptions,
} from './load-module-service.js';
export { dateFromTimestamp, timestampFromDate } from './timestamp.js';
export { BAD_REQUEST_TYPE, decodeRpcStatus, encodeRpcStatus, STATUS_DETAILS_TRAILER, type FieldViolation, type RpcStatus, type StatusDetail } from './status-details.js';
