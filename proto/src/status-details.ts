import { loadSync, type MessageTypeDefinition, type Options } from '@grpc/proto-loader';
import { protoLoaderOptions } from './load-module-service.js';

/**
 * The standard trailer of gRPC's rich error model: an encoded `google.rpc.Status` (google/rpc/*.proto
 * in this package). grpc-go, grpc-java and others decode it into the status's details.
 */
export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/** The `Any` type URL of `google.rpc.BadRequest`. */
export const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

/** One bad request field: its path as the .proto spells it, and what is wrong with it. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** A detail of a {@link RpcStatus}: an `Any`, its type URL under `@type` and its fields beside it. */
export type StatusDetail = { '@type': typeof BAD_REQUEST_TYPE; field_violations: FieldViolation[] } | { '@type': string; [field: string]: unknown };

/** `google.rpc.Status`, with its `Any` details unpacked. */
export interface RpcStatus {
  /** The gRPC status code (numeric), the same as the call's. */
  code: number;
  message: string;
  details: StatusDetail[];
}

/*
 * The loader's options, plus `json`: an `Any` whose type is loaded is then (de)serialized as
 * `{ "@type": url, ...fields }` instead of opaque bytes, both ways.
 */
const options: Options = { ...protoLoaderOptions, json: true };

type StatusType = MessageTypeDefinition<RpcStatus, RpcStatus>;

let statusType: StatusType | undefined;

function loadStatusType(): StatusType {
  // Both files in one root: packing a BadRequest into an Any looks its type up there.
  statusType ??= loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], options)['google.rpc.Status'] as StatusType;
  return statusType;
}

/** The `grpc-status-details-bin` value of a status. */
export function encodeRpcStatus(status: RpcStatus): Buffer {
  return loadStatusType().serialize(status);
}

/** A `grpc-status-details-bin` value, decoded; details of types this package does not know keep `type_url` and `value`. */
export function decodeRpcStatus(encoded: Buffer): RpcStatus {
  return loadStatusType().deserialize(encoded);
}
