import type { AnswerPlan, ChatConversation } from './answer-plan.js';
import { continuePrefill, planAnswer } from './answer-plan.js';
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
  /** How models treat a prefill, when the server's options say (else each API's own default). */
  prefill: PrefillBehaviour | Readonly<Record<string, PrefillBehaviour>> | undefined;
}

/**
 * What a model does with a conversation that ends with an assistant message: `continue` it (Anthropic's
 * models up to Claude 4.5, Ollama), `reject` it with a 400 (Claude 4.6 and later), or `ignore` it and
 * answer anew (OpenAI's Chat Completions).
 */
export type PrefillBehaviour = 'continue' | 'reject' | 'ignore';

/** The words Anthropic's 400 uses for a model that takes no prefill; the simulator says the same in every API. */
const PREFILL_REJECTED = 'This model does not support assistant message prefill. The conversation must end with a user message.';

/** How one API writes a chat answer and its errors. */
export interface ChatDialect {
  errorReply(fault: ErrorFaultName, options: FaultOptions): JsonReply;
  badRequest(message: string): JsonReply;
  /** What the API's models do with a prefill unless the server's options say otherwise. */
  prefill: PrefillBehaviour;
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
  let plan = planAnswer(conversation, directive);
  if (conversation.prefill !== null) {
    const configured = context.prefill;
    const behaviour = (typeof configured === 'string' ? configured : configured?.[conversation.model]) ?? dialect.prefill;
    if (behaviour === 'reject') {
      exchange.sendJson(dialect.badRequest(PREFILL_REJECTED));
      return;
    }
    if (behaviour === 'continue') plan = continuePrefill(plan, conversation.prefill);
  }
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
