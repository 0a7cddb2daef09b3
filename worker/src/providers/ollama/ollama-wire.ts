/*
 * Ollama's native /api/chat shapes. Requests are built by AILB and typed exactly; responses come from
 * the network and every field is optional, so a missing one becomes a clear error, not a TypeError.
 */

/** A tool call as Ollama takes it in an assistant message: arguments are an object, not JSON text. */
export interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

/** One message of an /api/chat request. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 images (no data: prefix), for multimodal models. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** On tool results: the function whose result this is. */
  tool_name?: string;
}

/** Ollama accepts OpenAI's function tool shape. */
export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** Sampling options, in Ollama's (Modelfile) names. */
export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  num_predict?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

/** The body of POST /api/chat. */
export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  options?: OllamaOptions;
  tools?: OllamaTool[];
  /** `json` for any JSON object, or a JSON schema the answer must match. */
  format?: 'json' | Record<string, unknown>;
}

/** A tool call in a response; recent Ollama versions add an `id`. */
export interface OllamaWireToolCall {
  id?: string | null;
  function?: { name?: string | null; arguments?: unknown } | null;
}

/** A non-streaming response, or one NDJSON line of a streaming one. */
export interface OllamaWireResponse {
  model?: string | null;
  message?: {
    content?: string | null;
    /** The model's reasoning, separate from `content` (recent Ollama, for thinking models). */
    thinking?: string | null;
    tool_calls?: OllamaWireToolCall[] | null;
  } | null;
  done?: boolean | null;
  done_reason?: string | null;
  prompt_eval_count?: number | null;
  eval_count?: number | null;
  error?: unknown;
}
