import { z } from 'zod';
import { promptSchema } from './prompt.js';
import { providerOptionsSchema } from './provider-options.js';

/**
 * The version of this specification (prompt, call, result, stream parts). A job carries it, so a
 * worker of a rolling deploy can tell a call it reads from one it would misread.
 */
export const SPECIFICATION_VERSION = 1;

/** A function the model may call; `inputSchema` is the JSON Schema of its arguments. */
export const toolDefinitionSchema = z.object({
  type: z.literal('function'),
  name: z.string(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  /** Ask the provider to follow the schema exactly, where it can. */
  strict: z.boolean().optional(),
});
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;

/** Whether and which tool the model must call: `auto` (its choice), `none`, `required` (any), or one tool. */
export const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto') }),
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('required') }),
  z.object({ type: z.literal('tool'), toolName: z.string() }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** Plain text, or JSON — any JSON object, or one matching `schema` (named, for providers that want a name). */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    schema: z.record(z.string(), z.unknown()).optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    strict: z.boolean().optional(),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/**
 * One call to a language model, as every adapter receives it: the prompt and the options that shape
 * generation. Absent options mean the provider's default. Whether the answer streams is the job's
 * business, not the call's.
 */
export const chatCallSchema = z.object({
  specificationVersion: z.literal(SPECIFICATION_VERSION),
  prompt: promptSchema,
  /** Longest answer, in tokens. */
  maxOutputTokens: z.number().int().min(1).optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  stopSequences: z.array(z.string()).optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  seed: z.number().int().optional(),
  responseFormat: responseFormatSchema.optional(),
  tools: z.array(toolDefinitionSchema).optional(),
  toolChoice: toolChoiceSchema.optional(),
  /** False asks for at most one tool call per answer. */
  parallelToolCalls: z.boolean().optional(),
  /** An end-user id for the provider's abuse monitoring. */
  user: z.string().optional(),
  providerOptions: providerOptionsSchema.optional(),
});
export type ChatCall = z.infer<typeof chatCallSchema>;
