import { z } from 'zod';

/*
 * Knowledge bases in AILB's own words: stored files, vector stores, the files in them and batches of
 * those. The embedder keeps them; a wire format's codec (OpenAI's Files and Vector Stores today) turns
 * them into its objects at the edge. Times are epoch seconds, as every public API in this field uses.
 */

/** Who owns a record. Until API keys exist every caller is {@link DEFAULT_TENANT}. */
export const tenantSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
export const DEFAULT_TENANT = 'default';

/** A file attribute value (filterable in searches). */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export const attributesSchema = z.record(z.string(), attributeValueSchema);
export type Attributes = z.infer<typeof attributesSchema>;

/** How a file is cut into chunks, in tokens. */
export const chunkingSchema = z.object({
  maxChunkTokens: z.number().int().min(100).max(4096),
  overlapTokens: z.number().int().min(0),
});
export type Chunking = z.infer<typeof chunkingSchema>;

/** What `auto` chunking means (OpenAI's documented default). */
export const AUTO_CHUNKING: Chunking = { maxChunkTokens: 800, overlapTokens: 400 };

/** A file kept by AILB. */
export const storedFileSchema = z.object({
  id: z.string(),
  tenant: tenantSchema,
  filename: z.string(),
  bytes: z.number().int().min(0),
  purpose: z.string(),
  /** The content type the file was read as (`text/markdown`, `text/html`, `application/json`, `text/plain`). */
  mediaType: z.string(),
  createdAt: z.number().int(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;

/** Files of a store (or batch) by ingestion status. */
export const fileCountsSchema = z.object({
  inProgress: z.number().int().min(0),
  completed: z.number().int().min(0),
  failed: z.number().int().min(0),
  cancelled: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type FileCounts = z.infer<typeof fileCountsSchema>;

export const ingestionStatusSchema = z.enum(['in_progress', 'completed', 'failed', 'cancelled']);
export type IngestionStatus = z.infer<typeof ingestionStatusSchema>;

/** A vector store: a searchable set of chunked, embedded files. */
export const vectorStoreSchema = z.object({
  id: z.string(),
  tenant: tenantSchema,
  name: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: z.number().int(),
  /** Last search or change; anchors expiry. */
  lastActiveAt: z.number().int(),
  metadata: z.record(z.string(), z.string()).nullable(),
  /** Days after `lastActiveAt` the store expires; null: never. */
  expiresAfterDays: z.number().int().min(1).nullable(),
  /** Bytes of the chunks it holds. */
  usageBytes: z.number().int().min(0),
  fileCounts: fileCountsSchema,
  /** `in_progress` while files are ingested, `completed` otherwise, `expired` past its expiry. */
  status: z.enum(['in_progress', 'completed', 'expired']),
  /** The embedding model that built it; writes with another model are refused. */
  embeddingModel: z.string(),
  /** Vector length, known once the first chunk was embedded. */
  dimensions: z.number().int().nullable(),
});
export type VectorStore = z.infer<typeof vectorStoreSchema>;

/** Why a file could not be ingested. */
export const ingestionErrorSchema = z.object({
  code: z.enum(['server_error', 'unsupported_file', 'invalid_file']),
  message: z.string(),
});
export type IngestionError = z.infer<typeof ingestionErrorSchema>;

/** A file in a vector store. */
export const vectorStoreFileSchema = z.object({
  fileId: z.string(),
  vectorStoreId: z.string(),
  createdAt: z.number().int(),
  status: ingestionStatusSchema,
  lastError: ingestionErrorSchema.nullable(),
  chunking: chunkingSchema,
  attributes: attributesSchema.nullable(),
  usageBytes: z.number().int().min(0),
  /** The batch it was added with, if any. */
  batchId: z.string().nullable(),
});
export type VectorStoreFile = z.infer<typeof vectorStoreFileSchema>;

/** A batch of files added to a vector store together. */
export const fileBatchSchema = z.object({
  id: z.string(),
  vectorStoreId: z.string(),
  createdAt: z.number().int(),
  status: ingestionStatusSchema,
  fileCounts: fileCountsSchema,
});
export type FileBatch = z.infer<typeof fileBatchSchema>;

/** Which page of a list: at most `limit` items in `order` of creation, after or before a cursor id. */
export const pageRequestSchema = z.object({
  limit: z.number().int().min(1),
  order: z.enum(['asc', 'desc']),
  after: z.string().optional(),
  before: z.string().optional(),
});
export type PageRequest = z.infer<typeof pageRequestSchema>;

/** One page of a list and whether more follow it. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}
