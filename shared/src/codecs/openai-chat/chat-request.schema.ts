import { z } from 'zod';

/*
 * OpenAI's Chat Completions request, as zod schemas. The top level is strict (an unknown field is a 400
 * naming it, as OpenAI does); message objects strip unknown keys because SDKs add harmless extras.
 */

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });
const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.string() }),
});
const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});
const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

const userContentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  audioPartSchema,
  filePartSchema,
]);
export type UserContentPart = z.infer<typeof userContentPartSchema>;

const textContentSchema = z.union([z.string(), z.array(textPartSchema)]);

const toolCallRequestSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const systemMessageSchema = z.object({
  role: z.literal('system'),
  content: textContentSchema,
  name: z.string().optional(),
});
const developerMessageSchema = z.object({
  role: z.literal('developer'),
  content: textContentSchema,
  name: z.string().optional(),
});
const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(userContentPartSchema)]),
  name: z.string().optional(),
});
const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPartSchema, refusalPartSchema]))]).nullish(),
  name: z.string().optional(),
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallRequestSchema).optional(),
});
const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: textContentSchema,
  tool_call_id: z.string(),
});

/** One chat message; `role` selects the shape. */
export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  developerMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

const functionToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters of a-z, A-Z, 0-9, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/**
 * The OpenAI request fields AILB forwards to providers. Fields OpenAI documents but AILB cannot
 * translate for every provider are accepted and forwarded only to OpenAI-compatible deployments.
 */
export const chatRequestBodyShape = {
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1, 'must contain at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.number().int().min(1).max(1, 'only n=1 is supported').nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
  service_tier: z.string().nullish(),
} as const;

/** The forwarded part of a chat request (no AILB extension fields); what version-1 chat jobs carried. */
export const chatRequestBodySchema = z.object(chatRequestBodyShape);
export type ChatRequestBody = z.infer<typeof chatRequestBodySchema>;

/** AILB's extension fields: accepted at the edge, never forwarded to a provider. */
export const ailbExtensionShape = {
  session_id: z.string().min(1).max(256).optional(),
  rag_collection: z.string().min(1).max(256).optional(),
  rag_top_k: z.number().int().min(1).max(50).optional(),
} as const;
export const ailbExtensionsSchema = z.object(ailbExtensionShape);
export type AilbExtensions = z.infer<typeof ailbExtensionsSchema>;

/** What a client may POST to /v1/chat/completions. Unknown top-level fields are rejected. */
export const chatCompletionRequestSchema = z.strictObject({ ...chatRequestBodyShape, ...ailbExtensionShape });
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** Concatenates the text of a string-or-parts content value (non-text parts are skipped). */
export function contentText(content: string | ReadonlyArray<{ type: string; text?: string }> | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && part.text !== undefined ? part.text : '')).join('');
}
