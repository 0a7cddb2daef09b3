import { GatewayError } from '@ailb/shared';
import { openAIErrorBody } from '@ailb/shared/openai-chat';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { parseJsonBody } from './json-body.js';

/*
 * The HTTP edge's answers to malformed traffic, so that every response — including those Node or
 * Fastify would write themselves — is OpenAI's error envelope with a clear message and code:
 * JSON bodies (nesting bound, prototype keys, charset), compressed bodies, 405 with Allow for a known
 * path and the wrong method, and protocol errors answered on the raw socket (bad framing, headers too
 * large, an `Expect` Node cannot meet).
 */

/** The body decoders of `Content-Encoding`; anything else is a 415. */
const DECODERS: Record<string, () => Duplex> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** The charset parameter of a Content-Type, lowercased; undefined when absent. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType === undefined ? null : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** Replaces Fastify's JSON parser with AILB's (json-body.ts) and decodes gzip, deflate and br bodies. */
export function registerBodyHandling(app: FastifyInstance, maxDepth: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new GatewayError('unsupported_media_type', `Unsupported charset '${charset}' in Content-Type: JSON bodies must be UTF-8.`));
    }
    try {
      done(null, parseJsonBody(body, maxDepth));
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('preParsing', (request, _reply, payload, done) => {
    const header = request.headers['content-encoding'];
    if (header === undefined) return done(null, payload);
    const encoding = header.trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') return done(null, payload);
    const decoder = DECODERS[encoding];
    if (decoder === undefined) {
      return done(new GatewayError('unsupported_media_type', `Unsupported Content-Encoding '${header}': send the body uncompressed or as gzip, deflate or br.`));
    }
    const decoded = decoder();
    let encodedLength = 0;
    payload.on('data', (chunk: Buffer) => (encodedLength += chunk.length));
    payload.on('error', (error) => decoded.destroy(error));
    // Fastify compares Content-Length with this, and bounds it by the body limit as it does the decoded size.
    Object.defineProperty(decoded, 'receivedEncodedLength', { get: () => encodedLength });
    decoded.on('error', (error: Error & { code?: string }) => {
      if (typeof error.code === 'string' && error.code.startsWith('Z_')) Object.assign(error, { ailbEncoding: encoding });
    });
    done(null, (payload as Readable).pipe(decoded));
  });
}

/** The longest path parameter (a file, store or session id) routes accept; Fastify answers 414 beyond it. */
export const MAX_PARAM_LENGTH = 512;

/**
 * Which methods each path answers, for the 405 of a known path asked with the wrong method. Filled
 * from Fastify's `onRoute` (so register it before any route), matched with Fastify's own router.
 */
export class RouteMethods {
  private readonly router = FindMyWay({ maxParamLength: MAX_PARAM_LENGTH });
  private readonly methods = new Set<string>();

  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        this.methods.add(method);
        try {
          this.router.on(method as FindMyWay.HTTPMethod, route.url, () => undefined);
        } catch {
          // The same method and path registered twice (in two encapsulated groups): one entry is enough.
        }
      }
    });
  }

  /** The methods `path` answers, sorted; empty when it is not a route at all. */
  allowed(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method as FindMyWay.HTTPMethod, path) !== null).sort();
  }
}

/** Node's HTTP parser errors, as catalog errors. */
function protocolError(error: Error & { code?: string }): GatewayError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError('headers_too_large', 'The request headers are larger than this server accepts (16 KB in all).');
    case 'HPE_URI_TOO_LONG':
      return new GatewayError('uri_too_long', 'The request URL is longer than this server accepts.');
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
      return new GatewayError('bad_request', 'The request has an invalid Content-Length, or both Content-Length and Transfer-Encoding.');
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_HEADER_VALUE':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return new GatewayError('bad_request', 'A request header has an invalid name or value (control characters such as CR, LF or NUL are not allowed).');
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return new GatewayError('bad_request', 'The request body framing (Transfer-Encoding: chunked) is invalid.');
    default:
      return new GatewayError('bad_request', `The request could not be read as HTTP/1.1 (${error.code ?? 'malformed'}).`);
  }
}

/** A complete HTTP/1.1 error response in OpenAI's envelope, closing the connection. */
function rawResponse(failure: GatewayError): string {
  const body = JSON.stringify(openAIErrorBody(failure));
  const reason = STATUS_CODES[failure.status] ?? 'Bad Request';
  return `HTTP/1.1 ${failure.status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser rejected is answered in the envelope (the
 * socket then closes, as HTTP requires after a framing error); a reset or timed-out socket is just
 * closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(protocolError(error)));
}

/** Answers an `Expect` other than `100-continue` (which Node would answer with a bare 417) in the envelope. */
export function answerExpectations(server: Server): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const failure = new GatewayError('expectation_failed', `Unsupported Expect header '${request.headers.expect ?? ''}': only 100-continue is supported.`);
    const body = JSON.stringify(openAIErrorBody(failure));
    response.writeHead(failure.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    response.end(body);
  });
}
