import type { Exchange, JsonReply } from './exchange.js';
import { faultNumber, isErrorFault, type ActiveFault, type ErrorFaultName, type FaultOptions } from './faults.js';

/**
 * A streamed answer as ready-to-write wire frames. Faults count tokens to decide where to strike, so
 * token frames are kept apart from the frames around them.
 */
export interface StreamFrames {
  kind: 'stream';
  contentType: string;
  /** Frames before the first token (OpenAI's role chunk; Anthropic's message_start, block start, ping). */
  preamble: string[];
  /** One frame per content token. */
  tokens: string[];
  /** Frames after the last token (finish reason, usage). */
  finale: string[];
  /** The end marker `no_done` omits (`data: [DONE]`, `message_stop`); null when the API has none. */
  terminator: string | null;
  /** One frame whose data is not valid JSON, in this API's framing. */
  malformed: string;
}

/** A non-streamed answer: one body. */
export interface WholeAnswer {
  kind: 'whole';
  contentType: string;
  body: string;
  /** Content tokens in the body, recorded as `tokensSent` once it is sent. */
  tokens: number;
}

/** Everything needed to answer one request, faults included. */
export interface Delivery {
  fault: ActiveFault | null;
  latencyMs: number;
  tokensPerSecond: number;
  /** Extra headers on the success response (request ids). */
  headers: Record<string, string>;
  /** The API's own error response for an error fault. */
  errorReply: (fault: ErrorFaultName, options: FaultOptions) => JsonReply;
  answer: StreamFrames | WholeAnswer;
}

const DEFAULT_AFTER_TOKENS = 3;
const DEFAULT_FIRST_TOKEN_DELAY_MS = 5_000;

/** Sends an answer, applying latency, pacing and the fault exactly as documented in `faults.ts`. */
export async function deliver(exchange: Exchange, delivery: Delivery): Promise<void> {
  const { fault } = delivery;
  if (fault) exchange.markFault(fault.name);
  if (!(await exchange.pause(delivery.latencyMs))) return;
  if (fault && isErrorFault(fault.name)) {
    exchange.sendJson(delivery.errorReply(fault.name, fault.options));
    return;
  }
  if (fault?.name === 'reset') {
    exchange.destroySocket();
    return;
  }
  if (fault?.name === 'no_response') {
    await exchange.untilClosed();
    return;
  }
  const intervalMs = delivery.tokensPerSecond > 0 ? 1000 / delivery.tokensPerSecond : 0;
  if (delivery.answer.kind === 'stream') await deliverStream(exchange, delivery, delivery.answer, intervalMs);
  else await deliverWhole(exchange, delivery, delivery.answer, intervalMs);
}

async function deliverWhole(exchange: Exchange, delivery: Delivery, answer: WholeAnswer, intervalMs: number): Promise<void> {
  const faultName = delivery.fault?.name;
  const options = delivery.fault?.options ?? {};
  if (faultName === 'slow_first_token' && !(await exchange.pause(faultNumber(options, 'delay', DEFAULT_FIRST_TOKEN_DELAY_MS)))) {
    return;
  }
  // A non-streamed answer arrives when the equivalent stream would have finished.
  if (!(await exchange.pause(Math.max(0, answer.tokens - 1) * intervalMs))) return;
  const headers = { ...delivery.headers, 'content-type': answer.contentType };
  const half = answer.body.slice(0, Math.floor(answer.body.length / 2));
  if (faultName === 'malformed') {
    exchange.sendText(200, answer.contentType, half, delivery.headers);
    return;
  }
  if (faultName === 'cut' || faultName === 'stall') {
    // The announced length is the full body's, so the client knows the body it got is incomplete.
    exchange.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    if (faultName === 'cut') {
      await exchange.write(half);
      await exchange.flushed();
      exchange.destroySocket();
    } else {
      exchange.response.flushHeaders();
      await exchange.untilClosed();
    }
    return;
  }
  exchange.sendText(200, answer.contentType, answer.body, delivery.headers);
  exchange.addTokens(answer.tokens);
}

async function deliverStream(exchange: Exchange, delivery: Delivery, frames: StreamFrames, intervalMs: number): Promise<void> {
  const faultName = delivery.fault?.name;
  const options = delivery.fault?.options ?? {};
  exchange.writeHead(200, {
    ...delivery.headers,
    'content-type': frames.contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  exchange.response.flushHeaders();
  if (faultName === 'slow_first_token' && !(await exchange.pause(faultNumber(options, 'delay', DEFAULT_FIRST_TOKEN_DELAY_MS)))) {
    return;
  }
  for (const frame of frames.preamble) if (!(await exchange.write(frame))) return;

  const strikesMidStream = faultName === 'cut' || faultName === 'stall' || faultName === 'malformed';
  const strikeAt = strikesMidStream ? Math.min(faultNumber(options, 'after', DEFAULT_AFTER_TOKENS), frames.tokens.length) : -1;
  const firstTokenAt = Date.now();
  for (let index = 0; index <= frames.tokens.length; index++) {
    if (index === strikeAt) {
      if (faultName === 'cut') {
        await exchange.flushed();
        exchange.destroySocket();
        return;
      }
      if (faultName === 'stall') {
        await exchange.untilClosed();
        return;
      }
      for (let time = faultNumber(options, 'times', 1); time > 0; time--) if (!(await exchange.write(frames.malformed))) return;
    }
    const frame = frames.tokens[index];
    if (frame === undefined) break;
    // Paced against the first token's time, so timer drift does not accumulate over long answers.
    if (!(await exchange.pause(firstTokenAt + index * intervalMs - Date.now()))) return;
    if (!(await exchange.write(frame))) return;
    exchange.addTokens(1);
  }
  for (const frame of frames.finale) if (!(await exchange.write(frame))) return;
  if (frames.terminator !== null && faultName !== 'no_done' && !(await exchange.write(frames.terminator))) return;
  exchange.end();
}
