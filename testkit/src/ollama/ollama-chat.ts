import type { AnswerPlan, ChatConversation } from '../answer-plan.js';
import type { ChatDialect } from '../chat-flow.js';
import { asArray, asNumber, asObject, asStringList, firstString } from '../content-text.js';
import type { StreamFrames, WholeAnswer } from '../deliver.js';
import { readOpenAIShapedMessages } from '../openai-shaped-messages.js';
import type { JsonReply } from '../exchange.js';
import { ollamaBadRequest, ollamaFaultReply } from './ollama-errors.js';

/** Reads `/api/chat`. Ollama streams unless `stream` is explicitly false. */
export function readOllamaChatRequest(body: unknown): ChatConversation | { error: JsonReply } {
  const request = asObject(body);
  if (request === null) return { error: ollamaBadRequest('invalid request body') };
  const model = firstString(request.model);
  if (model === null) return { error: ollamaBadRequest('model is required') };
  if (request.messages !== undefined && !Array.isArray(request.messages)) {
    return { error: ollamaBadRequest('json: cannot unmarshal messages into Go struct field ChatRequest.messages') };
  }
  const messages = asArray(request.messages).map((message) => asObject(message) ?? {});
  const options = asObject(request.options) ?? {};
  const numPredict = asNumber(options.num_predict);
  return {
    model,
    stream: request.stream !== false,
    ...readOpenAIShapedMessages(messages, request.tools),
    forcedToolName: null,
    toolsDisabled: false,
    // num_predict -1 (infinite) and -2 (fill the context) mean no limit here.
    maxTokens: numPredict !== null && numPredict >= 0 ? numPredict : null,
    stopSequences: asStringList(options.stop),
  };
}

/**
 * Ollama's timing fields, in nanoseconds. Derived from token counts rather than measured, so the
 * same request always reports the same numbers.
 */
export function ollamaDurations(promptTokens: number, evalCount: number): Record<string, number> {
  const loadDuration = 1_000_000;
  const promptEvalDuration = promptTokens * 1_000_000;
  const evalDuration = evalCount * 10_000_000;
  return {
    total_duration: loadDuration + promptEvalDuration + evalDuration,
    load_duration: loadDuration,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptEvalDuration,
    eval_count: evalCount,
    eval_duration: evalDuration,
  };
}

function assistantMessage(plan: AnswerPlan): Record<string, unknown> {
  if (plan.kind === 'tool_call') {
    return { role: 'assistant', content: '', tool_calls: [{ function: { name: plan.toolName, arguments: plan.input } }] };
  }
  return { role: 'assistant', content: plan.text };
}

function finalLine(plan: AnswerPlan, conversation: ChatConversation, message: Record<string, unknown>): Record<string, unknown> {
  return {
    model: conversation.model,
    created_at: new Date().toISOString(),
    message,
    done: true,
    done_reason: plan.kind === 'text' && plan.finish === 'length' ? 'length' : 'stop',
    ...ollamaDurations(conversation.promptTokens, plan.outputTokens),
  };
}

const line = (payload: unknown): string => `${JSON.stringify(payload)}\n`;

/** `/api/chat` in Ollama's wire format: NDJSON when streaming, one object otherwise. */
export const ollamaChatDialect: ChatDialect = {
  errorReply: ollamaFaultReply,
  badRequest: ollamaBadRequest,
  prefill: 'continue',
  headers: () => ({}),
  streamFrames,
  wholeAnswer,
};

function wholeAnswer(plan: AnswerPlan, conversation: ChatConversation): WholeAnswer {
  const body = JSON.stringify(finalLine(plan, conversation, assistantMessage(plan)));
  return { kind: 'whole', contentType: 'application/json; charset=utf-8', body, tokens: plan.outputTokens };
}

function streamFrames(plan: AnswerPlan, conversation: ChatConversation): StreamFrames {
  const partial = (message: Record<string, unknown>): string =>
    line({ model: conversation.model, created_at: new Date().toISOString(), message, done: false });
  // Ollama sends a tool call whole, in one line, rather than as argument fragments.
  const tokens =
    plan.kind === 'tool_call'
      ? [partial(assistantMessage(plan))]
      : plan.pieces.map((piece) => partial({ role: 'assistant', content: piece }));
  return {
    kind: 'stream',
    contentType: 'application/x-ndjson',
    preamble: [],
    tokens,
    finale: [line(finalLine(plan, conversation, { role: 'assistant', content: '' }))],
    terminator: null,
    malformed: `{"model":${JSON.stringify(conversation.model)},"created_at":\n`,
  };
}
