import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { MOCK_CONTENT, MOCK_MODEL, MOCK_STREAM_PIECES } from './mock-content.js';

/*
 * Child-process entry: the fast OpenAI-compatible mock upstream every system under test calls. It runs
 * in its own process so that its CPU is measured apart from the systems' and the load generator's, and
 * so that it never shares an event loop with either. Answers are precomputed byte buffers written as
 * fast as possible: the mock must stay far faster (> 20k req/s) than anything it is put behind.
 *
 * Prints one JSON line `{"msg":"mock listening","url":…}` once it accepts connections (the readiness
 * signal), then nothing per request. `GET /bench/stats` tells how many chat calls it answered, so the
 * harness can check that every client request cost exactly one upstream call (no hidden retries), and
 * how many of them carried AILB's knowledge-base context (a system message starting `<ailb-context`),
 * so the knowledge section can check that retrieved chunks really reached the provider.
 */

const created = Math.floor(Date.now() / 1000);
const usage = { prompt_tokens: 9, completion_tokens: 8, total_tokens: 17 };

const completionBody = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model: MOCK_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: MOCK_CONTENT }, logprobs: null, finish_reason: 'stop' }],
    usage,
  }),
);

const sse = (payload: unknown) => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);
const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
  sse({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: MOCK_MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });

// Role on the first content chunk, as OpenAI does; then the finish chunk, the optional usage chunk, [DONE].
const contentChunks = MOCK_STREAM_PIECES.map((piece, index) => chunk(index === 0 ? { role: 'assistant', content: piece } : { content: piece }, null));
const finishChunk = chunk({}, 'stop');
const usageChunk = sse({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: MOCK_MODEL, choices: [], usage });
const doneChunk = Buffer.from('data: [DONE]\n\n');

const modelsBody = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: MOCK_MODEL, object: 'model', created, owned_by: 'bench' }] }));

let chatCalls = 0;
let streamCalls = 0;
let contextCalls = 0;

type Message = { role?: unknown; content?: unknown };
/** A message's text: string content, or the first part of array content. */
const firstText = (content: unknown) => (typeof content === 'string' ? content : Array.isArray(content) ? String((content[0] as { text?: unknown } | undefined)?.text ?? '') : '');
/** Whether the request carries AILB's RAG context: a system message whose text starts `<ailb-context`. */
const hasRagContext = (messages: unknown) => Array.isArray(messages) && messages.some((message: Message) => message?.role === 'system' && firstText(message.content).startsWith('<ailb-context'));

function readBody(request: IncomingMessage, done: (body: string) => void): void {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => done(Buffer.concat(parts).toString()));
}

function answerChat(body: string, response: ServerResponse): void {
  let parsed: { stream?: unknown; stream_options?: { include_usage?: unknown }; messages?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
    return;
  }
  chatCalls++;
  if (hasRagContext(parsed.messages)) contextCalls++;
  if (parsed.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': completionBody.length }).end(completionBody);
    return;
  }
  streamCalls++;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Separate writes, so the chunks can reach the client as separate reads like a real token stream.
  for (const part of contentChunks) response.write(part);
  response.write(finishChunk);
  if (parsed.stream_options?.include_usage === true) response.write(usageChunk);
  response.end(doneChunk);
}

const server = createServer((request, response) => {
  const path = request.url ?? '';
  if (request.method === 'POST' && path.endsWith('/chat/completions')) {
    readBody(request, (body) => answerChat(body, response));
  } else if (request.method === 'GET' && path.endsWith('/models')) {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': modelsBody.length }).end(modelsBody);
  } else if (request.method === 'GET' && path === '/bench/stats') {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ chatCalls, streamCalls, contextCalls }));
  } else {
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
  }
});
// Idle keep-alive connections stay open long enough to span a run and the pauses between runs.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 0;
server.requestTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'mock listening', url: `http://127.0.0.1:${port}` })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
