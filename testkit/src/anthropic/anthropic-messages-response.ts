import type { AnswerPlan, ChatConversation } from '../answer-plan.js';
import type { ChatDialect } from '../chat-flow.js';
import type { StreamFrames, WholeAnswer } from '../deliver.js';
import type { Exchange } from '../exchange.js';
import { anthropicBadRequest, anthropicFaultReply } from './anthropic-errors.js';

function stopReason(plan: AnswerPlan): string {
  if (plan.kind === 'tool_call') return 'tool_use';
  if (plan.finish === 'length') return 'max_tokens';
  return plan.finish === 'stop_sequence' ? 'stop_sequence' : 'end_turn';
}

function stopSequence(plan: AnswerPlan): string | null {
  return plan.kind === 'text' ? plan.stopSequence : null;
}

function usage(inputTokens: number, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

const event = (name: string, payload: unknown): string => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

/** The Messages API in Anthropic's wire format. */
export const anthropicMessagesDialect: ChatDialect = {
  errorReply: anthropicFaultReply,
  badRequest: anthropicBadRequest,
  prefill: 'continue',
  headers: (exchange) => ({ 'request-id': `req_sim${exchange.record.id}` }),
  streamFrames,
  wholeAnswer,
};

function wholeAnswer(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange): WholeAnswer {
  const content =
    plan.kind === 'tool_call'
      ? [{ type: 'tool_use', id: `toolu_${exchange.record.id}`, name: plan.toolName, input: plan.input }]
      : [{ type: 'text', text: plan.text }];
  const message = {
    id: `msg_sim${exchange.record.id}`,
    type: 'message',
    role: 'assistant',
    model: conversation.model,
    content,
    stop_reason: stopReason(plan),
    stop_sequence: stopSequence(plan),
    usage: usage(conversation.promptTokens, plan.outputTokens),
  };
  return { kind: 'whole', contentType: 'application/json', body: JSON.stringify(message), tokens: plan.outputTokens };
}

function streamFrames(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange): StreamFrames {
  const message = {
    id: `msg_sim${exchange.record.id}`,
    type: 'message',
    role: 'assistant',
    model: conversation.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // Anthropic reports a provisional output count of 1 here; message_delta carries the real one.
    usage: usage(conversation.promptTokens, 1),
  };
  const contentBlock =
    plan.kind === 'tool_call'
      ? { type: 'tool_use', id: `toolu_${exchange.record.id}`, name: plan.toolName, input: {} }
      : { type: 'text', text: '' };
  const tokens =
    plan.kind === 'tool_call'
      ? plan.argumentPieces.map((piece) =>
          event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: piece } }),
        )
      : plan.pieces.map((piece) =>
          event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }),
        );
  return {
    kind: 'stream',
    contentType: 'text/event-stream; charset=utf-8',
    preamble: [
      event('message_start', { type: 'message_start', message }),
      event('content_block_start', { type: 'content_block_start', index: 0, content_block: contentBlock }),
      event('ping', { type: 'ping' }),
    ],
    tokens,
    finale: [
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason(plan), stop_sequence: stopSequence(plan) },
        usage: { output_tokens: plan.outputTokens },
      }),
    ],
    terminator: event('message_stop', { type: 'message_stop' }),
    malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
  };
}
