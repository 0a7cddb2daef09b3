/*
 * The token estimate a chat request reserves from token buckets before it is dispatched: its prompt
 * counted with a real tokenizer, plus the most it may generate. The estimate only has to be close —
 * settlement replaces it with the provider's reported usage once the request ends — but it must be
 * counted, not guessed from bytes, so that a client cannot slip a long prompt past a tight limit.
 */

/** What a wire format's request says about its size: the text of its messages and its output cap. */
export interface ChatTokenInput {
  /** Every text of the prompt: message contents' text parts, tool-call names and arguments. */
  texts: string[];
  /** Number of messages (each costs {@link MESSAGE_OVERHEAD_TOKENS}). */
  messages: number;
  /** `max_completion_tokens` / `max_tokens` as the client sent it; undefined when absent. */
  maxOutputTokens: number | undefined;
}

/** Reads a wire format's raw (not yet validated) request body; never throws, whatever the body. */
export type ChatTokenReader = (body: unknown) => ChatTokenInput;

/**
 * Tokens each message costs on top of its text: the role and the separators of the chat template
 * (OpenAI's own accounting uses 3-4 per message). Fixed and small: settlement corrects the rest.
 */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Tokens that prime the answer (`<|start|>assistant<|message|>`), counted once per request. */
export const REPLY_PRIMING_TOKENS = 3;
/** The output reserved when the request does not cap it (no `max_tokens` / `max_completion_tokens`). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

type CountTokens = (text: string) => number;

let counter: CountTokens | undefined;
let loading: Promise<CountTokens> | undefined;

/**
 * Loads the tokenizer (gpt-tokenizer's o200k_base, the encoding of OpenAI's current models) once.
 * Lazily: its ranks take about 0.4 s and tens of MB to load, which a deployment without token limits
 * should never pay.
 */
export function loadTokenizer(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => {
    counter = (text) => module.countTokens(text);
    return counter;
  });
  return loading;
}

/** The tokenizer when already loaded (then the estimate needs no await). */
export const loadedTokenizer = (): CountTokens | undefined => counter;

/** The estimate: prompt tokens (texts + per-message overhead + reply priming) plus the output cap or the default. */
export function estimateChatTokens(input: ChatTokenInput, count: CountTokens): number {
  let prompt = REPLY_PRIMING_TOKENS + input.messages * MESSAGE_OVERHEAD_TOKENS;
  for (const text of input.texts) if (text !== '') prompt += count(text);
  return prompt + (input.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
}
