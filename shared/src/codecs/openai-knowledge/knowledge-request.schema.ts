import { z } from 'zod';

/*
 * OpenAI's Files and Vector Stores requests (bodies and query strings), as zod schemas with OpenAI's
 * names, limits and enums (openai/openai-openapi; see knowledge-response.schema.ts for the revision).
 * Every object is strict: an unknown field is a 400 naming it, as OpenAI answers and as the chat codec
 * does. Defaults are applied by the decoders, so these schemas describe only what a client may send.
 */

/** Query strings carry text: `"20"` is read as 20; anything else stays as sent, so the error names its type. */
const queryInteger = (schema: z.ZodNumber) => z.preprocess((value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value), schema);

const orderSchema = z.enum(['asc', 'desc']);

/** `limit`, `order`, `after`, `before` of every list but the files list (`limit` 1–100, default 20). */
const pageQueryShape = {
  limit: queryInteger(z.number().int().min(1).max(100)).optional(),
  order: orderSchema.optional(),
  after: z.string().optional(),
  before: z.string().optional(),
};

export const listQuerySchema = z.strictObject(pageQueryShape);
export type ListQuery = z.infer<typeof listQuerySchema>;

/** `GET /v1/files`: `limit` goes up to 10,000 there (and defaults to it); there is no `before`. */
export const fileListQuerySchema = z.strictObject({
  purpose: z.string().optional(),
  limit: queryInteger(z.number().int().min(1).max(10_000)).optional(),
  order: orderSchema.optional(),
  after: z.string().optional(),
});
export type FileListQuery = z.infer<typeof fileListQuerySchema>;

/** The status a file of a vector store (or batch) may be filtered by. */
export const fileStatusFilterSchema = z.enum(['in_progress', 'completed', 'failed', 'cancelled']);

/** `GET /v1/vector_stores/{id}/files` and `…/file_batches/{id}/files`. */
export const vectorStoreFileListQuerySchema = z.strictObject({ ...pageQueryShape, filter: fileStatusFilterSchema.optional() });
export type VectorStoreFileListQuery = z.infer<typeof vectorStoreFileListQuerySchema>;

const MAX_PAIRS = 16;
const MAX_KEY_LENGTH = 64;

/**
 * OpenAI's limits on a map: at most 16 keys of at most 64 characters. Checked on the whole map so a
 * long key is reported as such (a key schema would only say "invalid key").
 */
function mapLimits(noun: string) {
  return (value: Record<string, unknown>, context: z.RefinementCtx) => {
    const keys = Object.keys(value);
    if (keys.length > MAX_PAIRS) context.addIssue({ code: 'custom', message: `at most ${MAX_PAIRS} ${noun} are allowed, got ${keys.length}` });
    for (const key of keys) {
      if (key.length > MAX_KEY_LENGTH) context.addIssue({ code: 'custom', path: [key], message: `keys are at most ${MAX_KEY_LENGTH} characters long` });
    }
  };
}

/** `metadata`: up to 16 pairs, keys up to 64 characters, string values up to 512. */
export const metadataSchema = z.record(z.string(), z.string().max(512)).superRefine(mapLimits('key-value pairs'));

/** `attributes` of a file in a vector store: up to 16 keys of 64 characters; strings up to 512, numbers or booleans. */
export const attributesSchema = z.record(z.string(), z.union([z.string().max(512), z.number(), z.boolean()])).superRefine(mapLimits('attributes'));

const autoChunkingSchema = z.strictObject({ type: z.literal('auto') });
const staticChunkingSchema = z.strictObject({
  type: z.literal('static'),
  static: z
    .strictObject({
      max_chunk_size_tokens: z.number().int().min(100).max(4096),
      chunk_overlap_tokens: z.number().int().min(0),
    })
    .refine((value) => value.chunk_overlap_tokens <= value.max_chunk_size_tokens / 2, {
      message: 'chunk_overlap_tokens must not exceed half of max_chunk_size_tokens',
      path: ['chunk_overlap_tokens'],
    }),
});

/** `chunking_strategy`: `{type: "auto"}` (800 tokens, 400 overlap) or `{type: "static", static: {…}}`. */
export const chunkingStrategySchema = z.discriminatedUnion('type', [autoChunkingSchema, staticChunkingSchema]);
export type ChunkingStrategyParam = z.infer<typeof chunkingStrategySchema>;

/** `expires_after` of a vector store: days after it was last active. */
export const expiresAfterSchema = z.strictObject({ anchor: z.literal('last_active_at'), days: z.number().int().min(1).max(365) });

const comparisonTypes = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'] as const;

/** A comparison filter as sent, `type` defaulting to `eq` as OpenAI's schema says. */
export interface ComparisonFilterParam {
  type: (typeof comparisonTypes)[number];
  key: string;
  value: string | number | boolean | Array<string | number>;
}
export interface CompoundFilterParam {
  type: 'and' | 'or';
  filters: FilterParam[];
}
export type FilterParam = ComparisonFilterParam | CompoundFilterParam;

const comparisonFilterSchema = z
  .strictObject({
    type: z.enum(comparisonTypes),
    key: z.string().min(1),
    value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
  })
  .superRefine((filter, context) => {
    // `in`/`nin` test membership in a list; the other operators compare with one value.
    const listOperator = filter.type === 'in' || filter.type === 'nin';
    if (listOperator !== Array.isArray(filter.value)) {
      context.addIssue({ code: 'custom', path: ['value'], message: listOperator ? `'${filter.type}' compares with an array of strings or numbers` : `'${filter.type}' compares with one string, number or boolean` });
    }
  });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `filters` of a search: comparisons on attributes, joined with `and`/`or` to any depth. A comparison
 * may leave `type` out (OpenAI's default is `eq`); `type` then picks the branch, so an error names the
 * field of the filter the client meant.
 */
export const filterSchema: z.ZodType<FilterParam, unknown> = z.lazy(() =>
  z.preprocess(
    (value) => (isObject(value) && value.type === undefined ? { ...value, type: 'eq' } : value),
    z.discriminatedUnion('type', [comparisonFilterSchema, z.strictObject({ type: z.enum(['and', 'or']), filters: z.array(filterSchema).min(1) })]),
  ),
);

/** `POST /v1/vector_stores`. */
export const createVectorStoreBodySchema = z.strictObject({
  file_ids: z.array(z.string().min(1)).max(500).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  expires_after: expiresAfterSchema.optional(),
  chunking_strategy: chunkingStrategySchema.optional(),
  metadata: metadataSchema.nullable().optional(),
});

/** `POST /v1/vector_stores/{id}`: each field left out is kept; `null` clears it. */
export const updateVectorStoreBodySchema = z.strictObject({
  name: z.string().nullable().optional(),
  expires_after: expiresAfterSchema.nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
});

/** `POST /v1/vector_stores/{id}/files`, and one entry of a batch's `files`. */
export const createVectorStoreFileBodySchema = z.strictObject({
  file_id: z.string().min(1),
  attributes: attributesSchema.nullable().optional(),
  chunking_strategy: chunkingStrategySchema.optional(),
});

/** `POST /v1/vector_stores/{id}/files/{file_id}`: replaces the file's attributes. */
export const updateVectorStoreFileBodySchema = z.strictObject({ attributes: attributesSchema.nullable() });

/**
 * `POST /v1/vector_stores/{id}/file_batches`: `file_ids` (sharing `attributes` and `chunking_strategy`)
 * or `files` (each with its own), never both — checked by the decoder.
 */
export const createFileBatchBodySchema = z.strictObject({
  file_ids: z.array(z.string().min(1)).min(1).max(2000).optional(),
  files: z.array(createVectorStoreFileBodySchema).min(1).max(2000).optional(),
  chunking_strategy: chunkingStrategySchema.optional(),
  attributes: attributesSchema.nullable().optional(),
});

/** `POST /v1/vector_stores/{id}/search`. */
export const searchBodySchema = z.strictObject({
  query: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Accepted for compatibility; AILB searches the query as written (`search_query` shows it). */
  rewrite_query: z.boolean().optional(),
  max_num_results: z.number().int().min(1).max(50).optional(),
  filters: filterSchema.optional(),
  ranking_options: z
    .strictObject({
      /** Accepted for compatibility; AILB always ranks with its hybrid scorer. */
      ranker: z.enum(['none', 'auto', 'default-2024-11-15']).optional(),
      score_threshold: z.number().min(0).max(1).optional(),
    })
    .optional(),
});
