import type { AnswerPlan, ChatConversation } from '../answer-plan.js';
import { unixSeconds, type ChatDialect } from '../chat-flow.js';
import type { StreamFrames, WholeAnswer } from '../deliver.js';
import type { Exchange } from '../exchange.js';
import { openAIBadRequest, openAIFaultReply } from './openai-errors.js';

const SYSTEM_FINGERPRINT = 'fp_sim';

/** OpenAI's usage object, with the detail fields the real API always includes. */
export function openAIUsage(promptTokens: number, completionTokens: number): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function finishReason(plan: AnswerPlan): string {
  if (plan.kind === 'tool_call') return 'tool_calls';
  return plan.finish === 'length' ? 'length' : 'stop';
}

const sse = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

/** Chat Completions in OpenAI's wire format; `includeUsage` mirrors `stream_options.include_usage`. */
export function openAIChatDialect(includeUsage: boolean): ChatDialect {
  return {
    errorReply: openAIFaultReply,
    badRequest: (message) => openAIBadRequest(message),
    prefill: 'ignore',
    headers: (exchange) => ({ 'x-request-id': `req_sim${exchange.record.id}` }),
    streamFrames: (plan, conversation, exchange) => streamFrames(plan, conversation, exchange, includeUsage),
    wholeAnswer,
  };
}

function wholeAnswer(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange): WholeAnswer {
  const message =
    plan.kind === 'tool_call'
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: `call_${exchange.record.id}`, type: 'function', function: { name: plan.toolName, arguments: plan.argumentsJson } }],
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: plan.text, refusal: null, annotations: [] };
  const completion = {
    id: `chatcmpl-sim${exchange.record.id}`,
    object: 'chat.completion',
    created: unixSeconds(),
    model: conversation.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(plan) }],
    usage: openAIUsage(conversation.promptTokens, plan.outputTokens),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
  return { kind: 'whole', contentType: 'application/json', body: JSON.stringify(completion), tokens: plan.outputTokens };
}

function streamFrames(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange, includeUsage: boolean): StreamFrames {
  const base = {
    id: `chatcmpl-sim${exchange.record.id}`,
    object: 'chat.completion.chunk',
    created: unixSeconds(),
    model: conversation.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
  // With include_usage, OpenAI puts `"usage": null` on every chunk and the numbers on an extra last one.
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) });
  const finale = [chunk({}, finishReason(plan))];
  if (includeUsage) finale.push(sse({ ...base, choices: [], usage: openAIUsage(conversation.promptTokens, plan.outputTokens) }));

  const preamble =
    plan.kind === 'tool_call'
      ? [
          chunk(
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ index: 0, id: `call_${exchange.record.id}`, type: 'function', function: { name: plan.toolName, arguments: '' } }],
              refusal: null,
            },
            null,
          ),
        ]
      : [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  const tokens =
    plan.kind === 'tool_call'
      ? plan.argumentPieces.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null))
      : plan.pieces.map((piece) => chunk({ content: piece }, null));
  return {
    kind: 'stream',
    contentType: 'text/event-stream; charset=utf-8',
    preamble,
    tokens,
    finale,
    terminator: 'data: [DONE]\n\n',
    malformed: `data: {"id":"${base.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\n\n`,
  };
}
