import { describe, expect, it } from 'vitest';

import { BAD_REQUEST_TYPE, decodeRpcStatus, encodeRpcStatus } from '../src/index.js';

/** A protobuf length-delimited field: tag (field number, wire type 2), length, bytes. */
const field = (number: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('google.rpc.Status for grpc-status-details-bin', () => {
  it('encodes the wire format of googleapis’ Status, Any and BadRequest', () => {
    // Built by hand from the field numbers of google/rpc/status.proto and error_details.proto, so a
    // mistake in our subset of those files (a number, a type) shows here.
    const violation = Buffer.concat([field(1, text('limit.target')), field(2, text('bad'))]);
    const badRequest = field(1, violation);
    const any = Buffer.concat([field(1, text('type.googleapis.com/google.rpc.BadRequest')), field(2, badRequest)]);
    const expected = Buffer.concat([Buffer.from([0x08, 3]), field(2, text('limit.target: bad')), field(3, any)]);

    const encoded = encodeRpcStatus({ code: 3, message: 'limit.target: bad', details: [{ '@type': BAD_REQUEST_TYPE, field_violations: [{ field: 'limit.target', description: 'bad' }] }] });
    expect(encoded.toString('hex')).toBe(expected.toString('hex'));
    expect(decodeRpcStatus(expected)).toEqual({ code: 3, message: 'limit.target: bad', details: [{ '@type': BAD_REQUEST_TYPE, field_violations: [{ field: 'limit.target', description: 'bad' }] }] });
  });

  it('encodes a status without details', () => {
    expect(decodeRpcStatus(encodeRpcStatus({ code: 5, message: 'gone', details: [] }))).toEqual({ code: 5, message: 'gone', details: [] });
  });
});
