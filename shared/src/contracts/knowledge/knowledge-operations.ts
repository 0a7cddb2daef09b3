import { z } from 'zod';
import { attributeFilterSchema } from './attribute-filter.js';
import { attributesSchema, chunkingSchema, ingestionStatusSchema, pageRequestSchema } from './knowledge-records.js';

/*
 * The operations a gateway asks the embedder to carry out on knowledge bases and memory, as one
 * discriminated union (`op`). Each is answered with one `result` (the operation's value, see
 * KnowledgeResults) or one catalog `error`. Payloads are already validated by the wire-format codec at
 * the edge; these schemas are what the embedder checks when it decodes the job.
 */

/** A search of one vector store. */
export const searchRequestSchema = z.object({
  /** One or more queries; their results are merged. */
  queries: z.array(z.string().min(1)).min(1),
  maxResults: z.number().int().min(1).max(50),
  filter: attributeFilterSchema.optional(),
  /** Results scoring below this are left out. */
  scoreThreshold: z.number().min(0).max(1).optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;

/** One file to add to a store, with its own attributes and chunking (else the batch's, else auto). */
const fileToAddSchema = z.object({ fileId: z.string().min(1), attributes: attributesSchema.optional(), chunking: chunkingSchema.optional() });

export const knowledgeOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('file.create'), filename: z.string().min(1), purpose: z.string().min(1), mediaType: z.string().min(1), contentBase64: z.string() }),
  z.object({ op: z.literal('file.list'), purpose: z.string().optional(), page: pageRequestSchema }),
  z.object({ op: z.literal('file.get'), fileId: z.string().min(1) }),
  z.object({ op: z.literal('file.content'), fileId: z.string().min(1) }),
  z.object({ op: z.literal('file.delete'), fileId: z.string().min(1) }),
  z.object({
    op: z.literal('store.create'),
    name: z.string().nullable(),
    description: z.string().nullable(),
    files: z.array(fileToAddSchema),
    chunking: chunkingSchema.optional(),
    metadata: z.record(z.string(), z.string()).nullable(),
    expiresAfterDays: z.number().int().min(1).nullable(),
  }),
  z.object({ op: z.literal('store.list'), page: pageRequestSchema }),
  z.object({ op: z.literal('store.get'), storeId: z.string().min(1) }),
  z.object({
    op: z.literal('store.update'),
    storeId: z.string().min(1),
    name: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.string()).nullable().optional(),
    expiresAfterDays: z.number().int().min(1).nullable().optional(),
  }),
  z.object({ op: z.literal('store.delete'), storeId: z.string().min(1) }),
  z.object({ op: z.literal('store.search'), storeId: z.string().min(1), search: searchRequestSchema }),
  z.object({ op: z.literal('store-file.create'), storeId: z.string().min(1), file: fileToAddSchema }),
  z.object({ op: z.literal('store-file.list'), storeId: z.string().min(1), batchId: z.string().optional(), status: ingestionStatusSchema.optional(), page: pageRequestSchema }),
  z.object({ op: z.literal('store-file.get'), storeId: z.string().min(1), fileId: z.string().min(1) }),
  z.object({ op: z.literal('store-file.update'), storeId: z.string().min(1), fileId: z.string().min(1), attributes: attributesSchema.nullable() }),
  z.object({ op: z.literal('store-file.delete'), storeId: z.string().min(1), fileId: z.string().min(1) }),
  z.object({ op: z.literal('batch.create'), storeId: z.string().min(1), files: z.array(fileToAddSchema).min(1), chunking: chunkingSchema.optional(), attributes: attributesSchema.optional() }),
  z.object({ op: z.literal('batch.get'), storeId: z.string().min(1), batchId: z.string().min(1) }),
  z.object({ op: z.literal('batch.cancel'), storeId: z.string().min(1), batchId: z.string().min(1) }),
  z.object({ op: z.literal('session.get'), sessionId: z.string().min(1) }),
  z.object({ op: z.literal('session.delete'), sessionId: z.string().min(1) }),
]);
export type KnowledgeOperation = z.infer<typeof knowledgeOperationSchema>;
export type KnowledgeOperationName = KnowledgeOperation['op'];
