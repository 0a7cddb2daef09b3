import { z } from 'zod';

/*
 * OpenAI's Files and Vector Stores response objects, transcribed from OpenAI's published OpenAPI
 * document — openai/openai-openapi `openapi.documented.yml` (info.version "2.3.0", the revision with
 * vector store search, `files` in file batches, Skills and ChatKit), read from the copy vendored in
 * 64bit/async-openai at commit 2c8776b35eb49a83f97165f31ac0b2e7422114ef. (The openai/openai-openapi
 * `openapi.yaml` at 578000861507cd19620e3f1092adf62303757c0a is an older 2.3.0 without search.)
 *
 * Component names are given above each schema. Required fields, types, enums, nullability and
 * numeric limits are OpenAI's; two things are stricter on purpose: every object rejects keys the
 * document does not list (so AILB never leaks a field of its own), and `object` fields the document
 * types as plain strings ("list") are pinned to the value OpenAI sends. These are for tests: every
 * object AILB returns must validate against them.
 */

const integer = z.number().int();

/** components.schemas.OpenAIFile */
export const openAIFileSchema = z.strictObject({
  id: z.string(),
  object: z.literal('file'),
  bytes: integer,
  created_at: integer,
  // Optional and, unlike what the API sometimes sends, not nullable in the document: AILB leaves them out.
  expires_at: integer.optional(),
  filename: z.string(),
  purpose: z.enum(['assistants', 'assistants_output', 'batch', 'batch_output', 'fine-tune', 'fine-tune-results', 'vision', 'user_data']),
  status: z.enum(['uploaded', 'processed', 'error']),
  status_details: z.string().optional(),
});
export type OpenAIFileObject = z.infer<typeof openAIFileSchema>;

/** components.schemas.DeleteFileResponse */
export const deleteFileResponseSchema = z.strictObject({ id: z.string(), object: z.literal('file'), deleted: z.boolean() });
export type DeleteFileResponse = z.infer<typeof deleteFileResponseSchema>;

/** The cursor page of ListFilesResponse, ListVectorStoresResponse and ListVectorStoreFilesResponse. */
export const listResponseSchema = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ object: z.literal('list'), data: z.array(item), first_id: z.string(), last_id: z.string(), has_more: z.boolean() });
export interface ListResponse<Item> {
  object: 'list';
  data: Item[];
  first_id: string;
  last_id: string;
  has_more: boolean;
}

/** components.schemas.Metadata: up to 16 pairs, keys ≤ 64 characters, values ≤ 512; or null. */
export const metadataResponseSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16)
  .nullable();

/** components.schemas.VectorStoreFileAttributes: ≤ 16 keys of ≤ 64 characters; strings ≤ 512, numbers, booleans; or null. */
export const attributesResponseSchema = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= 16)
  .nullable();

/** `file_counts` of VectorStoreObject and VectorStoreFileBatchObject. */
const fileCountsSchema = z.strictObject({ in_progress: integer, completed: integer, failed: integer, cancelled: integer, total: integer });

/** components.schemas.VectorStoreExpirationAfter */
export const vectorStoreExpirationAfterSchema = z.strictObject({ anchor: z.literal('last_active_at'), days: integer.min(1).max(365) });

/** components.schemas.VectorStoreObject */
export const vectorStoreSchema = z.strictObject({
  id: z.string(),
  object: z.literal('vector_store'),
  created_at: integer,
  name: z.string(),
  usage_bytes: integer,
  file_counts: fileCountsSchema,
  status: z.enum(['expired', 'in_progress', 'completed']),
  expires_after: vectorStoreExpirationAfterSchema.optional(),
  expires_at: integer.nullable().optional(),
  last_active_at: integer.nullable(),
  metadata: metadataResponseSchema,
});
export type VectorStoreObject = z.infer<typeof vectorStoreSchema>;

/** components.schemas.DeleteVectorStoreResponse */
export const deleteVectorStoreResponseSchema = z.strictObject({ id: z.string(), object: z.literal('vector_store.deleted'), deleted: z.boolean() });
export type DeleteVectorStoreResponse = z.infer<typeof deleteVectorStoreResponseSchema>;

/** components.schemas.StaticChunkingStrategyResponseParam | OtherChunkingStrategyResponseParam */
const chunkingStrategyResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('static'),
    static: z.strictObject({ max_chunk_size_tokens: integer.min(100).max(4096), chunk_overlap_tokens: integer }),
  }),
  z.strictObject({ type: z.literal('other') }),
]);

/** components.schemas.VectorStoreFileObject */
export const vectorStoreFileSchema = z.strictObject({
  id: z.string(),
  object: z.literal('vector_store.file'),
  usage_bytes: integer,
  created_at: integer,
  vector_store_id: z.string(),
  status: z.enum(['in_progress', 'completed', 'cancelled', 'failed']),
  last_error: z.strictObject({ code: z.enum(['server_error', 'unsupported_file', 'invalid_file']), message: z.string() }).nullable(),
  chunking_strategy: chunkingStrategyResponseSchema.optional(),
  attributes: attributesResponseSchema.optional(),
});
export type VectorStoreFileObject = z.infer<typeof vectorStoreFileSchema>;

/** components.schemas.DeleteVectorStoreFileResponse */
export const deleteVectorStoreFileResponseSchema = z.strictObject({ id: z.string(), object: z.literal('vector_store.file.deleted'), deleted: z.boolean() });
export type DeleteVectorStoreFileResponse = z.infer<typeof deleteVectorStoreFileResponseSchema>;

/** components.schemas.VectorStoreFileBatchObject */
export const vectorStoreFileBatchSchema = z.strictObject({
  id: z.string(),
  object: z.literal('vector_store.files_batch'),
  created_at: integer,
  vector_store_id: z.string(),
  status: z.enum(['in_progress', 'completed', 'cancelled', 'failed']),
  file_counts: fileCountsSchema,
});
export type VectorStoreFileBatchObject = z.infer<typeof vectorStoreFileBatchSchema>;

/** components.schemas.VectorStoreSearchResultItem (with VectorStoreSearchResultContentObject) */
export const vectorStoreSearchResultItemSchema = z.strictObject({
  file_id: z.string(),
  filename: z.string(),
  score: z.number().min(0).max(1),
  attributes: attributesResponseSchema,
  content: z.array(z.strictObject({ type: z.literal('text'), text: z.string() })),
});

/** components.schemas.VectorStoreSearchResultsPage */
export const vectorStoreSearchResultsPageSchema = z.strictObject({
  object: z.literal('vector_store.search_results.page'),
  search_query: z.array(z.string()),
  data: z.array(vectorStoreSearchResultItemSchema),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
});
export type VectorStoreSearchResultsPage = z.infer<typeof vectorStoreSearchResultsPageSchema>;

/** components.schemas.ListFilesResponse */
export const listFilesResponseSchema = listResponseSchema(openAIFileSchema);
/** components.schemas.ListVectorStoresResponse */
export const listVectorStoresResponseSchema = listResponseSchema(vectorStoreSchema);
/** components.schemas.ListVectorStoreFilesResponse (also the answer of `…/file_batches/{id}/files`) */
export const listVectorStoreFilesResponseSchema = listResponseSchema(vectorStoreFileSchema);

/** components.schemas.ErrorResponse, as every error of these endpoints is answered. */
export const errorResponseSchema = z.strictObject({
  error: z.strictObject({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});
