import { z } from 'zod';
import { providerMetadataSchema, providerOptionsSchema } from './provider-options.js';

/*
 * A conversation in words of no particular provider: messages with typed content parts. Wire-format
 * codecs at the gateway decode a client's request into this; provider adapters in the worker encode it
 * into their provider's request. Memory and RAG add messages here, never to a wire body.
 */

/** Text. */
export const textPartSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  providerOptions: providerOptionsSchema.optional(),
});
export type TextPart = z.infer<typeof textPartSchema>;

/** An image by URL: `https://…` for the provider to fetch, or a `data:<media type>;base64,…` URL. */
export const imagePartSchema = z.object({
  type: z.literal('image'),
  url: z.string().min(1),
  providerOptions: providerOptionsSchema.optional(),
});
export type ImagePart = z.infer<typeof imagePartSchema>;

/**
 * A file or audio clip: inline `data` (base64, or a data URL as the client sent it) or a provider-side
 * `fileId`. `mediaType` says what it is (`audio/wav`, `application/pdf`, …) when known.
 */
export const filePartSchema = z.object({
  type: z.literal('file'),
  mediaType: z.string().optional(),
  data: z.string().optional(),
  fileId: z.string().optional(),
  filename: z.string().optional(),
  providerOptions: providerOptionsSchema.optional(),
});
export type FilePart = z.infer<typeof filePartSchema>;

/** The model's reasoning, as a provider exposed it; `providerMetadata` keeps what sending it back needs. */
export const reasoningPartSchema = z.object({
  type: z.literal('reasoning'),
  text: z.string(),
  providerMetadata: providerMetadataSchema.optional(),
});
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;

/** A tool call the model made; `input` is the JSON text of the arguments as the model produced it. */
export const toolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  toolCallId: z.string(),
  toolName: z.string(),
  input: z.string(),
});
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;

/** The result of a tool call, sent back by the client; `toolName` when the conversation names it. */
export const toolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string(),
  toolName: z.string().optional(),
  output: z.string(),
});
export type ToolResultPart = z.infer<typeof toolResultPartSchema>;

/** Instructions. Several may appear anywhere in the prompt; adapters place them as their provider needs. */
export const systemMessageSchema = z.object({
  role: z.literal('system'),
  content: z.string(),
  providerOptions: providerOptionsSchema.optional(),
});
export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.array(z.discriminatedUnion('type', [textPartSchema, imagePartSchema, filePartSchema])),
  /** A participant name, where the provider supports one. */
  name: z.string().optional(),
});
export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.array(z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema, toolCallPartSchema])),
  name: z.string().optional(),
});
export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: z.array(toolResultPartSchema),
});

/** One message; `role` selects the shape. */
export const promptMessageSchema = z.discriminatedUnion('role', [systemMessageSchema, userMessageSchema, assistantMessageSchema, toolMessageSchema]);
export type PromptMessage = z.infer<typeof promptMessageSchema>;
export type SystemMessage = z.infer<typeof systemMessageSchema>;
export type UserMessage = z.infer<typeof userMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
export type ToolMessage = z.infer<typeof toolMessageSchema>;
export type UserContentPart = UserMessage['content'][number];
export type AssistantContentPart = AssistantMessage['content'][number];

/** The conversation, oldest message first. */
export const promptSchema = z.array(promptMessageSchema).min(1);
export type Prompt = z.infer<typeof promptSchema>;

/** The text parts of a content list, joined (other parts skipped). */
export function joinText(content: ReadonlyArray<{ type: string; text?: string }>): string {
  let text = '';
  for (const part of content) if (part.type === 'text' && part.text !== undefined) text += part.text;
  return text;
}
