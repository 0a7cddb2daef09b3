import { toGatewayError, type ChatCall, type ContextRequest, type KnowledgeConfig, type MemoryTurn, type PromptMessage, type Usage } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { KnowledgeClient } from '../knowledge/knowledge-client.js';
import { insertAfterSystemMessages, lastUserText, memoryMessage, ragMessage } from './context-messages.js';

/** A file name as a header value: printable ASCII as is, anything else (and the separators) percent-encoded. */
const headerSafe = (name: string) => name.replace(/[^\x20-\x7e]|[%,()]/g, (character) => encodeURIComponent(character).replace(/[()]/g, (paren) => `%${paren.charCodeAt(0).toString(16).toUpperCase()}`));

/** What a request asks of memory and RAG, whatever its wire format called it. */
export interface ContextAsk {
  tenant: string;
  sessionId?: string | undefined;
  /** A vector store id or name. */
  ragStore?: string | undefined;
  ragTopK?: number | undefined;
}

/** The request's call with its context in place, what to tell the client, and what to remember after. */
export interface PreparedContext {
  call: ChatCall;
  /**
   * `x-ailb-context`: `memory=<turns>; rag=<chunks>`, `…=off` for a disabled feature, or `degraded`;
   * and `x-ailb-rag-sources`: the chunks sent, best first, as `<filename> (<score>)`.
   */
  headers: Record<string, string>;
  /** Set when the completed turn must be remembered. */
  remember?: { tenant: string; sessionId: string; user: string };
}

/** What the context stage reports for metrics. */
export interface ContextObserver {
  recordContext(outcome: { retrievalMs: number; turns: number; chunks: number; degraded: boolean }): void;
}

/**
 * Memory and RAG for chat requests, between decoding and planning: one request to the embedder with
 * the request's last user message, within the retrieval deadline (the larger of `memory.timeout_ms`
 * and `rag.timeout_ms` of what is asked). The answer becomes system messages after the client's own:
 * remembered turns, then knowledge-base chunks. If the embedder is down or slow the request goes on
 * without context and says `x-ailb-context: degraded`; it never fails because of memory or RAG — but
 * a vector store that does not exist is the client's error (404). A request asking for neither never
 * reaches the embedder.
 */
export class ContextStage {
  constructor(
    private readonly knowledge: KnowledgeClient,
    private readonly config: KnowledgeConfig,
    private readonly observer?: ContextObserver,
  ) {}

  async prepare(call: ChatCall, ask: ContextAsk, log: FastifyBaseLogger): Promise<PreparedContext | undefined> {
    const wantsMemory = ask.sessionId !== undefined;
    const wantsRag = ask.ragStore !== undefined;
    if (!wantsMemory && !wantsRag) return undefined;
    const memoryOn = wantsMemory && this.config.memory.enabled;
    const ragOn = wantsRag && this.config.rag.enabled;
    const off = [...(wantsMemory && !memoryOn ? ['memory=off'] : []), ...(wantsRag && !ragOn ? ['rag=off'] : [])];
    const query = lastUserText(call.prompt);
    if ((!memoryOn && !ragOn) || query === undefined) return { call, headers: { 'x-ailb-context': off.join('; ') || 'none' } };

    const request: ContextRequest = { query };
    if (memoryOn) request.memory = { sessionId: ask.sessionId!, recentTurns: this.config.memory.recentTurns, maxTokens: this.config.memory.maxContextTokens };
    if (ragOn) request.rag = { store: ask.ragStore!, topK: ask.ragTopK ?? this.config.rag.topK };
    const timeoutMs = Math.max(memoryOn ? this.config.memory.timeoutMs : 0, ragOn ? this.config.rag.timeoutMs : 0);
    const remember = memoryOn ? { tenant: ask.tenant, sessionId: ask.sessionId!, user: query } : undefined;
    const started = performance.now();
    try {
      const result = await this.knowledge.retrieveContext(ask.tenant, request, timeoutMs);
      const turns = result.memory?.turns ?? [];
      const chunks = result.rag?.chunks ?? [];
      const messages: PromptMessage[] = [];
      if (turns.length > 0) messages.push(memoryMessage(ask.sessionId!, turns));
      if (result.rag && chunks.length > 0) messages.push(ragMessage(result.rag.storeId, chunks));
      this.observer?.recordContext({ retrievalMs: performance.now() - started, turns: turns.length, chunks: chunks.length, degraded: false });
      const used = [...(memoryOn ? [`memory=${turns.length}`] : []), ...(ragOn ? [`rag=${chunks.length}`] : []), ...off];
      const headers: Record<string, string> = { 'x-ailb-context': used.join('; ') };
      if (chunks.length > 0) headers['x-ailb-rag-sources'] = chunks.map((chunk) => `${headerSafe(chunk.filename)} (${chunk.score.toFixed(3)})`).join(', ');
      return { call: messages.length > 0 ? { ...call, prompt: insertAfterSystemMessages(call.prompt, messages) } : call, headers, ...(remember ? { remember } : {}) };
    } catch (error) {
      const failure = toGatewayError(error);
      // The client's mistake (a store that does not exist) is answered; the embedder's trouble is not.
      if (failure.status < 500 && failure.code !== 'embedding_model_mismatch') throw failure;
      log.warn({ code: failure.code, detail: failure.message }, 'memory/RAG context unavailable; answering without it');
      this.observer?.recordContext({ retrievalMs: performance.now() - started, turns: 0, chunks: 0, degraded: true });
      return { call, headers: { 'x-ailb-context': 'degraded' }, ...(remember ? { remember } : {}) };
    }
  }

  /** Queues a completed turn for the session's memory; a failure to queue it is logged. */
  remember(target: NonNullable<PreparedContext['remember']>, answer: { text: string; model: string; provider: string; usage: Usage | null }, log: FastifyBaseLogger): void {
    const turn: MemoryTurn = {
      user: target.user,
      assistant: answer.text,
      model: answer.model,
      provider: answer.provider,
      usage: answer.usage ? { inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens } : null,
      createdAt: Date.now(),
    };
    this.knowledge.remember(target.tenant, target.sessionId, turn).catch((error: unknown) => log.warn({ err: error, sessionId: target.sessionId }, 'could not queue the turn for memory'));
  }
}
