import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { jsonDepth } from '../src/http/json-body.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * Malformed traffic at the edge: every answer is a 4xx in OpenAI's envelope naming the problem — deep
 * JSON, prototype keys, out-of-range numbers, compressed bodies, charsets, wrong methods — including
 * the protocol errors Node's HTTP parser raises before Fastify sees a request (over a raw socket).
 */
const config = testAppConfig();
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await buildApp({ config, producer: new InProcessTransport(pino({ level: 'silent' })).producer, state: new InMemoryClusterState(config.routing), traces: new InMemoryTraceStore(), logger: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

const chat = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, payload });

/** `{"a":{"a":…}}` nested `depth` objects deep. */
const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

describe('JSON bodies', () => {
  it('measures nesting without recursion, strings and escapes skipped', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[{{\\"]]"}]}', 64)).toBe(3);
    expect(jsonDepth(nested(64), 64)).toBe(64);
    expect(jsonDepth(nested(100_000), 64)).toBe(65);
  });

  it('refuses JSON nested deeper than 64 levels with a 400 naming where, however deep', async () => {
    for (const depth of [65, 10_000, 100_000]) {
      const body = `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${nested(depth)}}}]}`;
      const response = await chat(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_value', param: 'tools[0].function.parameters' } });
      expect(response.json().error.message).toMatch(/nested deeper than 64 levels/);
    }
    // 64 deep is within the limit: the body is parsed and validated as usual.
    const within = await chat(`{"model":"m","messages":${'['.repeat(63)}${']'.repeat(63)}}`);
    expect(within.json().error.message).not.toMatch(/nested deeper/);
  });

  it('refuses __proto__ and constructor.prototype keys with a 400 that says why, escaped spellings too', async () => {
    for (const [body, param] of [
      ['{"model":"m","__proto__":{"x":1},"messages":[]}', '__proto__'],
      ['{"model":"m","messages":[{"role":"user","content":"hi","\\u005f_proto__":{}}]}', 'messages[0].__proto__'],
      ['{"model":"m","metadata":{"constructor":{"prototype":{}}},"messages":[]}', 'metadata.constructor.prototype'],
    ] as const) {
      const response = await chat(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_value', param } });
      expect(response.json().error.message).toMatch(/prototype/);
    }
    // A plain "constructor" key (no prototype) is ordinary data: the body gets past the parser.
    const plain = await chat('{"model":"m","messages":[{"role":"user","content":"constructor proto"}],"metadata":{"constructor":"x"}}');
    expect(plain.json().error?.message ?? '').not.toMatch(/prototype/);
  });

  it('names an out-of-range number as such', async () => {
    const response = await chat('{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1e309}');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_value', param: 'temperature' } });
    expect(response.json().error.message).toMatch(/out of range/);
  });

  it('says what did not parse, and refuses an empty body', async () => {
    const broken = await chat('{"model":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'invalid_json', param: null } });
    const empty = await chat('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('decodes gzip, deflate and br bodies; refuses other encodings and charsets with 415', async () => {
    // No `model`: a 400 naming it proves the body was decoded and validated.
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
    for (const [encoding, encoded] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['br', brotliCompressSync(body)]] as const) {
      const response = await chat(encoded, { 'content-encoding': encoding });
      expect(response.json()).toMatchObject({ error: { code: 'missing_required_parameter', param: 'model' } });
    }
    const corrupt = await chat(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json()).toMatchObject({ error: { code: 'invalid_value' } });
    expect(corrupt.json().error.message).toMatch(/not valid gzip/);
    const zstd = await chat(Buffer.from(body), { 'content-encoding': 'zstd' });
    expect(zstd.statusCode).toBe(415);
    expect(zstd.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const latin1 = await chat(body, { 'content-type': 'application/json; charset=ISO-8859-1' });
    expect(latin1.statusCode).toBe(415);
    expect(latin1.json().error.message).toMatch(/UTF-8/);
    const utf8 = await chat(body, { 'content-type': 'application/json; charset=UTF-8' });
    expect(utf8.json()).toMatchObject({ error: { param: 'model' } });
  });
});

describe('chat errors say how they were routed', () => {
  it('carries x-ailb-route on a chat error refused before any route was chosen', async () => {
    for (const response of [await chat('{"model":'), await chat('{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}')]) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.headers['x-ailb-route']).toBe('strategy=none; target=none; attempts=0');
    }
  });
});

describe('routes and methods', () => {
  it('answers a known path with the wrong method 405 and Allow, an unknown path 404', async () => {
    const wrong = await app.inject({ method: 'DELETE', url: '/v1/chat/completions' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.json()).toEqual({ error: { message: expect.stringContaining('allowed: POST'), type: 'invalid_request_error', param: null, code: 'method_not_allowed' } });
    const files = await app.inject({ method: 'PUT', url: '/v1/files/file-abc' });
    expect(files.statusCode).toBe(405);
    expect(files.headers.allow).toBe('DELETE, GET, HEAD');
    const unknown = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

/** Writes `request` on a raw socket and reads everything until the server closes. */
function raw(request: string): Promise<{ status: number; headers: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: body === '' ? undefined : JSON.parse(body) });
    });
    socket.end(request);
  });
}

describe('protocol errors Node raises before routing', () => {
  it('answers each in OpenAI’s envelope and closes the connection', async () => {
    const cases: Array<[string, number, string]> = [
      [`GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n`, 400, 'bad_request'],
      [`GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
      [`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'bad_request'],
      [`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 400, 'bad_request'],
      [`GET /v1/models HTTP/1.1\r\nHost: x\r\nExpect: the-impossible\r\n\r\n`, 417, 'expectation_failed'],
    ];
    for (const [request, status, code] of cases) {
      const response = await raw(request);
      expect(response.status, request.slice(0, 60)).toBe(status);
      expect(response.body).toMatchObject({ error: { code, type: 'invalid_request_error' } });
      expect(response.headers).toContain('content-type: application/json');
    }
    // Still serving.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('oversized requests', () => {
  it('answers a path parameter longer than the server accepts with 414 in the envelope', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/files/file-${'a'.repeat(600)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ error: { code: 'uri_too_long', type: 'invalid_request_error' } });
  });

  it('answers a body over the limit with 413 while the client is still sending, without resetting it', async () => {
    const size = 4 * 1024 * 1024;
    const response = await new Promise<{ status: number; body: unknown; reset: boolean }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      let reset = false;
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', () => (reset = true));
      socket.on('close', () => {
        const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), body: body === '' ? undefined : JSON.parse(body), reset });
      });
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
      // Sent in pieces, as a client uploading a large body does, well after the server has decided.
      let sent = 0;
      const piece = Buffer.alloc(64 * 1024, 0x20);
      const more = () => {
        while (sent < size) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', more);
        }
        socket.end();
      };
      setTimeout(more, 50);
    });
    expect(response.reset).toBe(false);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'request_too_large' } });
  });
});
