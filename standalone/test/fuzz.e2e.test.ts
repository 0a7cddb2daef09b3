import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteConfig } from '@ailb/shared';
import { resolveKnowledge } from '@ailb/shared/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody, headerCase, rawRequest, routeCase, seededRandom, type InjectCase } from './support/fuzz-cases.js';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test.js';
import { violations } from './support/openai-schemas.js';

/*
 * A bounded, seeded fuzz of the edge (~2,000 cases): mutated chat bodies, every route with wrong
 * methods, ids and bodies, hostile headers (through `inject`), and raw HTTP/1.1 abuse over sockets.
 * Whatever arrives: never a 5xx, every error in OpenAI's envelope, and the process still answers
 * afterwards. The whole AILB runs (worker, embedder and its Chroma), so valid requests are served
 * rather than refused for want of a worker. AILB_FUZZ_SEED reproduces another run.
 */
const SEED = Number(process.env.AILB_FUZZ_SEED ?? 20_261_203);
const routes: RouteConfig[] = [{ model: 'alone', strategy: 'failover', targets: [{ provider: 'oa', model: 'sim-small', priority: 0, weight: 1 }], fallbacks: [] }];

interface Answer {
  status: number;
  contentType: string;
  body: string;
  label: string;
  /** The body was not read (a HEAD answer, a chunked raw answer): only the status is checked. */
  bodyUnread?: boolean;
}

describe(`edge fuzz (seed ${SEED})`, () => {
  let gateway: GatewayUnderTest;
  const dataDir = mkdtempSync(join(tmpdir(), 'ailb-fuzz-'));
  beforeAll(async () => {
    gateway = await startGatewayUnderTest('in-process', { routes, knowledge: resolveKnowledge({ AILB_DATA_DIR: dataDir }, {}) });
    await gateway.server.embedderReady;
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What is wrong with an answer: a 5xx, or an error outside OpenAI's envelope. */
  const problems = (answers: Answer[]) =>
    answers.flatMap((answer) => {
      if (answer.status >= 500) return [`${answer.label} → ${answer.status} ${answer.body.slice(0, 200)}`];
      if (answer.status < 400 || answer.bodyUnread) return [];
      if (!answer.contentType.includes('application/json')) return [`${answer.label} → ${answer.status} as ${answer.contentType}`];
      try {
        return violations('errorResponse', JSON.parse(answer.body)).map((violation) => `${answer.label} → ${answer.status}: ${violation}`);
      } catch {
        return [`${answer.label} → ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 120)}`];
      }
    });

  const inject = async (request: InjectCase, label: string): Promise<Answer> => {
    const response = await gateway.server.app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
    const contentType = String(response.headers['content-type'] ?? '');
    // A stream that started is a 200 whose errors travel in-band: its last event must be an envelope too.
    if (contentType.includes('text/event-stream')) {
      const last = response.body.trim().split('\n\n').at(-1)?.replace(/^data: /, '') ?? '';
      if (last !== '[DONE]') return { status: 400, contentType: 'application/json', body: last, label: `${label} (in-band)` };
    }
    return { status: response.statusCode, contentType, body: response.body, label, bodyUnread: request.method === 'HEAD' };
  };

  it('answers 1,700 malformed requests through the HTTP stack with a 4xx in the envelope, never a 5xx', async () => {
    const random = seededRandom(SEED);
    const answers: Answer[] = [];
    const cases: Array<[string, () => InjectCase]> = [
      ['chat', () => ({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, payload: chatBody(random) })],
      ['route', () => routeCase(random)],
      ['headers', () => headerCase(random)],
    ];
    for (let index = 0; index < 1700; index++) {
      const [kind, make] = cases[index < 900 ? 0 : index < 1400 ? 1 : 2]!;
      const request = make();
      answers.push(await inject(request, `#${index} ${kind} ${request.method} ${request.url.slice(0, 80)} ${String(request.payload ?? '').slice(0, 120)}`));
    }
    expect(problems(answers)).toEqual([]);
    // Some of them were valid enough to be served.
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(20);
  }, 120_000);

  it('answers 300 raw protocol abuses over sockets in the envelope (or closes), and keeps serving', async () => {
    const random = seededRandom(SEED + 1);
    const url = new URL(gateway.server.url);
    const answers: Answer[] = [];
    for (let index = 0; index < 300; index++) {
      const request = rawRequest(random);
      const text = await new Promise<string>((resolve) => {
        const socket = connect(Number(url.port), url.hostname);
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => socket.destroy(), 3000);
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
        socket.end(request);
      });
      const label = `raw #${index} ${JSON.stringify(request.slice(0, 100))}`;
      if (text === '') continue; // closed without an answer: allowed only for what is not a request at all (counted below)
      // `100 Continue` (an `Expect: 100-continue` request) comes before the answer that counts.
      const answer = text.replace(/^(?:HTTP\/1\.\d 1\d\d [^\r\n]*\r\n\r\n)+/, '');
      const [head = '', rest = ''] = answer.split('\r\n\r\n');
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? rest.length);
      const contentType = /content-type: *([^\r\n]+)/i.exec(head)?.[1] ?? '';
      const chunked = /transfer-encoding: *chunked/i.test(head);
      answers.push({ status: Number(head.split(' ')[1]), contentType, body: chunked ? '' : rest.slice(0, length), label, bodyUnread: chunked });
    }
    expect(problems(answers)).toEqual([]);
    // Nearly every abuse gets an answer rather than a silent close.
    expect(answers.length).toBeGreaterThan(270);
    const health = await fetch(`${gateway.server.url}/healthz`);
    expect(health.status).toBe(200);
    const chat = await gateway.client.chat.completions.create({ model: 'alone', messages: [{ role: 'user', content: 'still there?' }] });
    expect(chat.choices[0]?.message.content).toContain('still there?');
  }, 120_000);
});
