import type { AnswerPlan, ChatConversation } from './answer-plan.js';
import { planAnswer } from './answer-plan.js';
import { deliver, type StreamFrames, type WholeAnswer } from './deliver.js';
import { parseDirective } from './directives.js';
import type { Exchange, JsonReply } from './exchange.js';
import type { FaultScript } from './fault-script.js';
import type { ActiveFault, ErrorFaultName, FaultOptions } from './faults.js';

/** Server-wide settings every route reads. */
export interface SimulatorContext {
  models: readonly string[];
  latencyMs: number;
  tokensPerSecond: number;
  script: FaultScript;
}

/** How one API writes a chat answer and its errors. */
export interface ChatDialect {
  errorReply(fault: ErrorFaultName, options: FaultOptions): JsonReply;
  badRequest(message: string): JsonReply;
  /** Success-response headers (request ids). */
  headers(exchange: Exchange): Record<string, string>;
  streamFrames(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange): StreamFrames;
  wholeAnswer(plan: AnswerPlan, conversation: ChatConversation, exchange: Exchange): WholeAnswer;
}

/**
 * The shared tail of every chat endpoint once the request is valid: read the directive, pick the
 * fault (directive first, then the script), plan the answer and deliver it.
 */
export async function runChat(
  exchange: Exchange,
  context: SimulatorContext,
  conversation: ChatConversation,
  dialect: ChatDialect,
): Promise<void> {
  exchange.update({ model: conversation.model, stream: conversation.stream });
  const directive = parseDirective(conversation.lastUserText);
  if (directive.unknownFault !== undefined) {
    exchange.sendJson(dialect.badRequest(`Unknown simulator fault "${directive.unknownFault}" in [sim ...] directive`));
    return;
  }
  const fault: ActiveFault | null = directive.fault
    ? { name: directive.fault, options: directive.faultOptions }
    : context.script.take(conversation.model);
  const plan = planAnswer(conversation, directive);
  await deliver(exchange, {
    fault,
    latencyMs: directive.latencyMs ?? context.latencyMs,
    tokensPerSecond: directive.tokensPerSecond ?? context.tokensPerSecond,
    headers: dialect.headers(exchange),
    errorReply: (name, options) => dialect.errorReply(name, options),
    answer: conversation.stream
      ? dialect.streamFrames(plan, conversation, exchange)
      : dialect.wholeAnswer(plan, conversation, exchange),
  });
}

/** Unix seconds, as OpenAI's `created`. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
