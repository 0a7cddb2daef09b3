import { createModuleServiceClient, rpcFailure, type ModuleServiceTestClient } from '@ailb/testkit';
import { Server, ServerCredentials, status, type Metadata } from '@grpc/grpc-js';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleService } from '../src/control-plane/module-service.js';
import { invalidArgument, RpcFailure, type RpcGroupFactory } from '../src/control-plane/rpc.js';

// The adapter between promise-style groups and grpc-js, over a real socket, without a gateway: the
// groups below are test doubles of real ones, the wire and the client are real.
const echoGroup: RpcGroupFactory = () => ({
  async GetStatus(request) {
    return { message: `status of '${request.instance_id}'` };
  },
  async SetRateLimit(request) {
    if (request.limit === null) throw invalidArgument('limit', 'is required');
    return { success: true };
  },
  async GetRoutes() {
    throw new Error('secret connection string redis://user:password@host');
  },
  async *StreamMetrics(request, call) {
    for (let index = 0; index < request.interval_seconds && !call.signal.aborted; index += 1) {
      yield { metrics: { instance_id: String(index) } };
    }
  },
});

const lockedGroup: RpcGroupFactory = () => ({ async GetStatus() { return { message: 'ok' }; } });

async function serve(app: FastifyInstance, groups: RpcGroupFactory[], authenticate?: (metadata: Metadata) => void) {
  const server = new Server();
  const service = createModuleService(app, authenticate ? { logger: app.log, authenticate } : { logger: app.log }, groups);
  server.addService(service.definition, service.implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { server, address: `127.0.0.1:${port}` };
}


describe('ModuleService adapter', () => {
  let app: FastifyInstance;
  let server: Server;
  let client: ModuleServiceTestClient;

  beforeAll(async () => {
    app = Fastify({ logger: false });
    const served = await serve(app, [echoGroup]);
    server = served.server;
    client = createModuleServiceClient(served.address);
  });
  afterAll(async () => {
    client.close();
    server.forceShutdown();
    await app.close();
  });

  it('answers a unary call with the group handler response', async () => {
    const response = await client.GetStatus({ instance_id: 'x' });
    expect(response.message).toBe("status of 'x'");
    // Defaults are filled in on decode: an absent enum reads as its zero name.
    expect(response.status).toBe('HEALTH_STATUS_UNSPECIFIED');
  });

  it('answers UNIMPLEMENTED for a method no group implements', async () => {
    const error = await rpcFailure(client.Scale({}));
    expect(error.code).toBe(status.UNIMPLEMENTED);
    expect(error.details).toContain('Scale is not implemented yet');
    const response = client.failureResponse('Scale', error);
    expect(response?.success).toBe(false);
    expect(response?.error?.code).toBe('STATUS_CODE_ERROR');
  });

  it('reports INVALID_ARGUMENT naming the field, also in the response trailer', async () => {
    const error = await rpcFailure(client.SetRateLimit({}));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('limit: is required');
    const response = client.failureResponse('SetRateLimit', error);
    expect(response).toMatchObject({ success: false, message: 'limit: is required' });
    expect(response?.error).toMatchObject({ code: 'STATUS_CODE_INVALID_ARGUMENT', details: { field: 'limit' } });
    expect(Number(response?.error?.occurred_at?.seconds)).toBeGreaterThan(0);
  });

  it('sends the standard grpc-status-details-bin trailer: a google.rpc.Status with a BadRequest naming the field', async () => {
    const error = await rpcFailure(client.SetRateLimit({}));
    expect(client.statusDetails(error)).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'limit: is required',
      details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', field_violations: [{ field: 'limit', description: 'is required' }] }],
    });
    // Other failures carry the status alone, streams and methods without an Error field included.
    expect(client.statusDetails(await rpcFailure(client.GetRoutes({})))).toEqual({ code: status.INTERNAL, message: expect.stringContaining('internal error'), details: [] });
    expect(client.statusDetails(await rpcFailure(client.Scale({})))).toMatchObject({ code: status.UNIMPLEMENTED, details: [] });
  });

  it('turns a crash into INTERNAL without leaking the error', async () => {
    const error = await rpcFailure(client.GetRoutes({}));
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).not.toContain('password');
    // GetRoutesResponse has no Error field: no trailer.
    expect(client.failureResponse('GetRoutes', error)).toBeNull();
  });

  it('streams every yielded message and ends OK', async () => {
    const stream = client.streamMetrics({ interval_seconds: 3 });
    const received: string[] = [];
    for await (const message of stream) received.push(message.metrics.instance_id);
    expect(received).toEqual(['0', '1', '2']);
  });

  it('rejects a call the authenticate hook refuses, before the handler', async () => {
    const locked = await serve(app, [lockedGroup], (metadata) => {
      if (metadata.get('authorization')[0] !== 'Bearer right') throw new RpcFailure(status.UNAUTHENTICATED, 'missing or wrong token');
    });
    const anonymous = createModuleServiceClient(locked.address);
    const authorized = createModuleServiceClient(locked.address, { token: 'right' });
    try {
      expect((await rpcFailure(anonymous.GetStatus({}))).code).toBe(status.UNAUTHENTICATED);
      expect((await authorized.GetStatus({})).message).toBe('ok');
    } finally {
      anonymous.close();
      authorized.close();
      locked.server.forceShutdown();
    }
  });
});
