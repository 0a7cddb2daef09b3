import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultScript } from './fault-script.js';
import type { RequestLog } from './request-log.js';

/** Prefix of the control endpoints; never recorded, never behind the API key. */
export const ADMIN_PREFIX = '/__sim/';

interface AdminDependencies {
  script: FaultScript;
  log: RequestLog;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

/**
 * The HTTP mirror of the programmatic API, for processes that cannot call it (the CLI simulator):
 * `POST /__sim/script` `{faults:[...]}`, `POST /__sim/reset`, `GET /__sim/requests` (the log array).
 */
export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  dependencies: AdminDependencies,
): Promise<void> {
  const route = `${request.method ?? 'GET'} ${path}`;
  if (route === `GET ${ADMIN_PREFIX}requests`) return sendJson(response, 200, dependencies.log.records);
  if (route === `POST ${ADMIN_PREFIX}reset`) {
    request.resume();
    dependencies.log.clear();
    dependencies.script.clear();
    return sendJson(response, 200, { ok: true });
  }
  if (route === `POST ${ADMIN_PREFIX}script`) {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return sendJson(response, 400, { error: 'body must be JSON: {"faults": [...]}' });
    }
    try {
      const faults = body !== null && typeof body === 'object' ? (body as { faults?: unknown }).faults : undefined;
      const queued = dependencies.script.add(faults);
      return sendJson(response, 200, { ok: true, queued });
    } catch (error) {
      return sendJson(response, 400, { error: (error as Error).message });
    }
  }
  request.resume();
  sendJson(response, 404, { error: `unknown simulator endpoint ${route}` });
}
