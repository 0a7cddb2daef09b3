import { GatewayError, isErrorCode, jobPrioritySchema, toGatewayError, type CallWarning, type ChatReply, type JobPriority, type StreamReply, type Usage } from '@ailb/shared';
import { ChunkEncoder, decodeChatRequest, openAIErrorBody, toChatCompletion, toClientParam, type ResponseIdentity, type WireLocations } from '@ailb/shared/openai-chat';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatEnding, ChatExchange, ChatPipeline } from '../../chat/chat-pipeline.js';
import { openAIChatTokenInput } from './chat-token-input.js';
import { SseWriter } from './sse-writer.js';

/**
 * The response id, from the job id (a random UUID, unique per request): a fresh randomBytes() per
 * request cost 5.5 % of the embedded default's CPU, and one id to correlate with traces and logs is
 * better than two.
 */
const responseId = (jobId: string) => `chatcmpl-${jobId.replaceAll('-', '')}`;

/**
 * Every chat error says how it was routed, even one refused before any route was chosen (a bad body,
 * a rate limit, an unknown model): `x-ailb-route: strategy=none; target=none; attempts=0`.
 */
function markUnroutedError(_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  if (reply.statusCode >= 400 && !reply.hasHeader('x-ailb-route')) reply.header('x-ailb-route', 'strategy=none; target=none; attempts=0');
  done(null, payload);
}

/** `x-ailb-priority: high | normal | low` (default normal). */
function jobPriority(header: string | string[] | undefined): JobPriority {
  if (header === undefined) return 'normal';
  const parsed = jobPrioritySchema.safeParse(typeof header === 'string' ? header.trim().toLowerCase() : header);
  if (!parsed.success) throw new GatewayError('invalid_value', "Invalid value for header 'x-ailb-priority': use high, normal or low.", { param: 'x-ailb-priority' });
  return parsed.data;
}

/**
 * The serving deployment's warnings for `x-ailb-warnings`, settings named as the client sent them
 * (`unsupported-setting:top_p`). Header-safe: printable ASCII only.
 */
function warningsHeader(warnings: readonly CallWarning[] | undefined, locations: WireLocations): string[] {
  return (warnings ?? []).map((warning) =>
    (warning.type === 'unsupported-setting' ? `unsupported-setting:${locations.translate(warning.setting)}` : `other:${warning.message}`).replace(/[^\x20-\x7e]/g, '?'),
  );
}

/** `x-ailb-trace: 1` (or `true`) keeps this request's routing trace whatever the sampling. */
function isTraceRequested(header: string | string[] | undefined): boolean {
  return typeof header === 'string' && /^(1|true|yes)$/i.test(header.trim());
}

/**
 * POST /v1/chat/completions: decode with the OpenAI codec, run the shared pipeline, encode the answer
 * (a `chat.completion`, or SSE chunks) — errors in OpenAI's envelope, naming the client's own fields.
 */
export function registerChatCompletionsRoute(app: FastifyInstance, pipeline: ChatPipeline): void {
  app.post('/v1/chat/completions', { config: { chatTokens: openAIChatTokenInput }, onSend: markUnroutedError }, async (request: FastifyRequest, reply: FastifyReply) => {
    let decoded;
    let priority: JobPriority;
    try {
      decoded = decodeChatRequest(request.body);
      // All input is checked before planning, which may claim a half-open target's single probe.
      priority = jobPriority(request.headers['x-ailb-priority']);
    } catch (error) {
      // Rejected before any stage: counted, with no plan to trace.
      const failure = toGatewayError(error);
      app.metrics.recordOutcome({ model: 'unknown', provider: 'none', stream: false, outcome: failure.code }, null);
      throw failure;
    }
    const sessionHeader = request.headers['x-session-id'];
    if (decoded.extensions.sessionId === undefined && typeof sessionHeader === 'string' && sessionHeader !== '') decoded.extensions.sessionId = sessionHeader.slice(0, 256);

    let opened;
    // From here the pipeline ends the request (ChatExchange.finish), and its log line says how.
    request.chatLogged = true;
    try {
      opened = await pipeline.open({
        requestId: request.id,
        receivedAt: request.receivedAt,
        model: decoded.model,
        stream: decoded.stream,
        priority,
        call: decoded.call,
        traceRequested: isTraceRequested(request.headers['x-ailb-trace']),
        log: request.log,
        scanPolicy: request.scanPolicy,
        keyId: request.keyId,
        tenant: request.tenant,
        settleTokens: request.tokenReservation?.settle,
        ended: (exchange, ending, priced) => app.requestLog.chat(request, exchange, ending, priced),
        ...(decoded.extensions.sessionId !== undefined || decoded.extensions.ragCollection !== undefined
          ? { context: { tenant: request.tenant, sessionId: decoded.extensions.sessionId, ragStore: decoded.extensions.ragCollection, ragTopK: decoded.extensions.ragTopK } }
          : {}),
        setHeaders: (headers) => void reply.headers(headers),
        onClientGone: (listener) => {
          if (reply.raw.destroyed && !reply.raw.writableFinished) queueMicrotask(listener);
          else reply.raw.on('close', () => !reply.raw.writableFinished && listener());
        },
      });
    } catch (error) {
      throw toClientParam(toGatewayError(error), decoded.locations);
    }
    const identity: ResponseIdentity = { id: responseId(opened.exchange.jobId), created: Math.floor(Date.now() / 1000), model: '' };
    if (opened.kind === 'result') {
      const { exchange, reply: result } = opened;
      identity.model = result.servedBy.model;
      // Serialised before the headers are taken, so x-ailb-overhead-ms includes the encoding.
      const payload = JSON.stringify(toChatCompletion(identity, result.result));
      reply.headers(exchange.answerHeaders(result, warningsHeader(result.result.warnings, decoded.locations)));
      exchange.finish({ outcome: 'success', status: 200, usage: result.result.usage });
      return reply.type('application/json; charset=utf-8').send(payload);
    }
    const { exchange, first } = opened;
    identity.model = first.start!.servedBy.model;
    reply.hijack();
    exchange.finish(await relayStream(reply, exchange, first, identity, decoded.includeUsage, decoded.locations));
    return reply;
  });
}

/**
 * Relays a started stream as SSE, starting with the parts of its first message, until the message
 * with `end`; an `error` part (or a broken reply stream) ends it in-band with one error event and no
 * `[DONE]`. The chunks of one message leave in one socket write.
 */
async function relayStream(reply: FastifyReply, exchange: ChatExchange, first: StreamReply, identity: ResponseIdentity, includeUsage: boolean, locations: WireLocations): Promise<ChatEnding> {
  let usage: Usage | null = null;
  const provider = first.start?.servedBy.provider;
  const sse = new SseWriter(reply.raw);
  const encoder = new ChunkEncoder(identity, includeUsage);
  const failed = (failure: GatewayError, chunks: unknown[] = []): ChatEnding => {
    if (failure.code !== 'request_cancelled') reply.log.warn({ code: failure.code, provider: failure.provider ?? provider }, 'stream failed after it started');
    sse.dataBatch(chunks);
    sse.fail(openAIErrorBody(toClientParam(failure, locations)), exchange.attemptsTrailer());
    return { outcome: failure.code, status: 200, usage };
  };
  const chunks: unknown[] = [encoder.roleChunk()];
  let opened = false;
  const open = (last = false) => {
    // The first chunks are encoded before the headers are taken and leave with them in one write.
    const start = first.parts.find((part) => part.type === 'stream-start');
    sse.open(exchange.answerHeaders(first.start!, warningsHeader(start?.type === 'stream-start' ? start.warnings : undefined, locations)), chunks, last && exchange.attemptsTrailer());
    chunks.length = 0;
    opened = true;
  };
  let message: StreamReply = first;
  for (;;) {
    // The last message lists the attempts again when they changed after the start (a broken stream).
    if (message.attempts) exchange.attempts = message.attempts;
    for (const part of message.parts) {
      if (part.type === 'error') {
        if (!opened) open();
        return failed(GatewayError.fromData({ ...part.error, code: isErrorCode(part.error.code) ? part.error.code : 'internal_error' }), chunks);
      }
      if (part.type === 'finish') usage = part.usage;
      chunks.push(...encoder.encode(part));
    }
    if (message.end) {
      if (opened) sse.done(chunks, exchange.attemptsTrailer());
      else open(true);
      return { outcome: 'success', status: 200, usage };
    }
    if (opened) sse.dataBatch(chunks);
    else open();
    chunks.length = 0;
    let next: ChatReply;
    try {
      next = await exchange.next();
    } catch (error) {
      return failed(toGatewayError(error));
    }
    if (next.kind !== 'stream') return failed(exchange.unexpected(next));
    message = next;
  }
}
