import type { z } from 'zod';
import { GatewayError } from '../../contracts/errors/gateway-error.js';
import type { AttributeFilter } from '../../contracts/knowledge/attribute-filter.js';
import type { KnowledgeOperation, KnowledgeOperationName } from '../../contracts/knowledge/knowledge-operations.js';
import { AUTO_CHUNKING, type Attributes, type Chunking, type PageRequest } from '../../contracts/knowledge/knowledge-records.js';
import { validationError } from '../openai-chat/validation-error.js';
import {
  createFileBatchBodySchema,
  createVectorStoreBodySchema,
  createVectorStoreFileBodySchema,
  fileListQuerySchema,
  listQuerySchema,
  searchBodySchema,
  updateVectorStoreBodySchema,
  updateVectorStoreFileBodySchema,
  vectorStoreFileListQuerySchema,
  type ChunkingStrategyParam,
  type ListQuery,
} from './knowledge-request.schema.js';

/*
 * Decoders from OpenAI's Files, Vector Stores (and AILB's memory sessions) requests into the neutral
 * operations the embedder runs. Each validates the whole request first (a 400 naming the field, in
 * OpenAI's words) and applies OpenAI's defaults, so the embedder never sees a wire-format name.
 */

/** The neutral operation named `Op`. */
export type KnowledgeOperationOf<Op extends KnowledgeOperationName> = Extract<KnowledgeOperation, { op: Op }>;

/** OpenAI's documented defaults. */
export const OPENAI_KNOWLEDGE_DEFAULTS = { listLimit: 20, fileListLimit: 10_000, order: 'desc', maxNumResults: 10 } as const;

function parse<T>(schema: z.ZodType<T, unknown>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, input);
  return parsed.data;
}

/** A path segment naming a record: Fastify hands an empty string for `/v1/files/`. */
function pathId(value: string | undefined, param: string): string {
  if (value === undefined || value === '') throw new GatewayError('missing_required_parameter', `Missing required parameter: '${param}'.`, { param });
  return value;
}

function page(query: ListQuery, defaultLimit: number): PageRequest {
  const request: PageRequest = { limit: query.limit ?? defaultLimit, order: query.order ?? OPENAI_KNOWLEDGE_DEFAULTS.order };
  if (query.after !== undefined) request.after = query.after;
  if (query.before !== undefined) request.before = query.before;
  return request;
}

/** `auto` is OpenAI's documented 800/400; a file given `auto` explicitly overrides a batch's static setting. */
function chunking(strategy: ChunkingStrategyParam): Chunking {
  return strategy.type === 'auto' ? { ...AUTO_CHUNKING } : { maxChunkTokens: strategy.static.max_chunk_size_tokens, overlapTokens: strategy.static.chunk_overlap_tokens };
}

function fileToAdd(fileId: string, attributes: Attributes | null | undefined, strategy: ChunkingStrategyParam | undefined) {
  const file: { fileId: string; attributes?: Attributes; chunking?: Chunking } = { fileId };
  if (attributes != null) file.attributes = attributes;
  if (strategy !== undefined) file.chunking = chunking(strategy);
  return file;
}

// A POST without a body (curl -X POST) means "no fields", as OpenAI reads it.
const orEmpty = (body: unknown) => (body === undefined || body === null ? {} : body);

/** `GET /v1/files`. */
export function decodeListFiles(query: unknown): KnowledgeOperationOf<'file.list'> {
  const { purpose, ...rest } = parse(fileListQuerySchema, orEmpty(query));
  const operation: KnowledgeOperationOf<'file.list'> = { op: 'file.list', page: page(rest, OPENAI_KNOWLEDGE_DEFAULTS.fileListLimit) };
  if (purpose !== undefined) operation.purpose = purpose;
  return operation;
}

/** `GET /v1/files/{file_id}`, `GET …/content`, `DELETE /v1/files/{file_id}`. */
export function decodeFileRequest<Op extends 'file.get' | 'file.content' | 'file.delete'>(op: Op, fileId: string | undefined): KnowledgeOperationOf<Op> {
  return { op, fileId: pathId(fileId, 'file_id') } as KnowledgeOperationOf<Op>;
}

/** `POST /v1/vector_stores`. */
export function decodeCreateVectorStore(body: unknown): KnowledgeOperationOf<'store.create'> {
  const request = parse(createVectorStoreBodySchema, orEmpty(body));
  const operation: KnowledgeOperationOf<'store.create'> = {
    op: 'store.create',
    name: request.name ?? null,
    description: request.description ?? null,
    files: (request.file_ids ?? []).map((fileId) => ({ fileId })),
    metadata: request.metadata ?? null,
    expiresAfterDays: request.expires_after?.days ?? null,
  };
  if (request.chunking_strategy !== undefined) operation.chunking = chunking(request.chunking_strategy);
  return operation;
}

/** `GET /v1/vector_stores`. */
export function decodeListVectorStores(query: unknown): KnowledgeOperationOf<'store.list'> {
  return { op: 'store.list', page: page(parse(listQuerySchema, orEmpty(query)), OPENAI_KNOWLEDGE_DEFAULTS.listLimit) };
}

/** `GET` and `DELETE /v1/vector_stores/{vector_store_id}`. */
export function decodeVectorStoreRequest<Op extends 'store.get' | 'store.delete'>(op: Op, storeId: string | undefined): KnowledgeOperationOf<Op> {
  return { op, storeId: pathId(storeId, 'vector_store_id') } as KnowledgeOperationOf<Op>;
}

/** `POST /v1/vector_stores/{vector_store_id}`: only the fields sent change. */
export function decodeUpdateVectorStore(storeId: string | undefined, body: unknown): KnowledgeOperationOf<'store.update'> {
  const request = parse(updateVectorStoreBodySchema, orEmpty(body));
  const operation: KnowledgeOperationOf<'store.update'> = { op: 'store.update', storeId: pathId(storeId, 'vector_store_id') };
  if (request.name !== undefined) operation.name = request.name;
  if (request.metadata !== undefined) operation.metadata = request.metadata;
  if (request.expires_after !== undefined) operation.expiresAfterDays = request.expires_after?.days ?? null;
  return operation;
}

/** `POST /v1/vector_stores/{vector_store_id}/search`. */
export function decodeSearchVectorStore(storeId: string | undefined, body: unknown): KnowledgeOperationOf<'store.search'> {
  const request = parse(searchBodySchema, body);
  const search: KnowledgeOperationOf<'store.search'>['search'] = {
    queries: typeof request.query === 'string' ? [request.query] : request.query,
    maxResults: request.max_num_results ?? OPENAI_KNOWLEDGE_DEFAULTS.maxNumResults,
  };
  // The wire filter, its `type` defaulted, is already the neutral AttributeFilter.
  if (request.filters !== undefined) search.filter = request.filters satisfies AttributeFilter;
  if (request.ranking_options?.score_threshold !== undefined) search.scoreThreshold = request.ranking_options.score_threshold;
  return { op: 'store.search', storeId: pathId(storeId, 'vector_store_id'), search };
}

/** `POST /v1/vector_stores/{vector_store_id}/files`. */
export function decodeCreateVectorStoreFile(storeId: string | undefined, body: unknown): KnowledgeOperationOf<'store-file.create'> {
  const request = parse(createVectorStoreFileBodySchema, body);
  return { op: 'store-file.create', storeId: pathId(storeId, 'vector_store_id'), file: fileToAdd(request.file_id, request.attributes, request.chunking_strategy) };
}

/** `GET …/files` of a store, or of one of its batches when `batchId` is given; `filter` by status. */
export function decodeListVectorStoreFiles(storeId: string | undefined, query: unknown, batchId?: string): KnowledgeOperationOf<'store-file.list'> {
  const { filter, ...rest } = parse(vectorStoreFileListQuerySchema, orEmpty(query));
  const operation: KnowledgeOperationOf<'store-file.list'> = { op: 'store-file.list', storeId: pathId(storeId, 'vector_store_id'), page: page(rest, OPENAI_KNOWLEDGE_DEFAULTS.listLimit) };
  if (batchId !== undefined) operation.batchId = pathId(batchId, 'batch_id');
  if (filter !== undefined) operation.status = filter;
  return operation;
}

/** `GET` and `DELETE /v1/vector_stores/{vector_store_id}/files/{file_id}`. */
export function decodeVectorStoreFileRequest<Op extends 'store-file.get' | 'store-file.delete'>(op: Op, storeId: string | undefined, fileId: string | undefined): KnowledgeOperationOf<Op> {
  return { op, storeId: pathId(storeId, 'vector_store_id'), fileId: pathId(fileId, 'file_id') } as KnowledgeOperationOf<Op>;
}

/** `POST /v1/vector_stores/{vector_store_id}/files/{file_id}`: new attributes (`null` removes them). */
export function decodeUpdateVectorStoreFile(storeId: string | undefined, fileId: string | undefined, body: unknown): KnowledgeOperationOf<'store-file.update'> {
  const request = parse(updateVectorStoreFileBodySchema, body);
  return { op: 'store-file.update', storeId: pathId(storeId, 'vector_store_id'), fileId: pathId(fileId, 'file_id'), attributes: request.attributes };
}

/**
 * `POST /v1/vector_stores/{vector_store_id}/file_batches`. With `files`, each entry carries its own
 * attributes and chunking and the batch-wide ones are ignored, as OpenAI documents.
 */
export function decodeCreateFileBatch(storeId: string | undefined, body: unknown): KnowledgeOperationOf<'batch.create'> {
  const request = parse(createFileBatchBodySchema, body);
  const id = pathId(storeId, 'vector_store_id');
  if (request.file_ids !== undefined && request.files !== undefined) {
    throw new GatewayError('invalid_value', "Invalid value for 'files': send either 'file_ids' or 'files', not both.", { param: 'files' });
  }
  if (request.files !== undefined) {
    return { op: 'batch.create', storeId: id, files: request.files.map((file) => fileToAdd(file.file_id, file.attributes, file.chunking_strategy)) };
  }
  if (request.file_ids === undefined) throw new GatewayError('missing_required_parameter', "Missing required parameter: 'file_ids' (or 'files').", { param: 'file_ids' });
  const operation: KnowledgeOperationOf<'batch.create'> = { op: 'batch.create', storeId: id, files: request.file_ids.map((fileId) => ({ fileId })) };
  if (request.chunking_strategy !== undefined) operation.chunking = chunking(request.chunking_strategy);
  if (request.attributes != null) operation.attributes = request.attributes;
  return operation;
}

/** `GET …/file_batches/{batch_id}` and `POST …/file_batches/{batch_id}/cancel`. */
export function decodeFileBatchRequest<Op extends 'batch.get' | 'batch.cancel'>(op: Op, storeId: string | undefined, batchId: string | undefined): KnowledgeOperationOf<Op> {
  return { op, storeId: pathId(storeId, 'vector_store_id'), batchId: pathId(batchId, 'batch_id') } as KnowledgeOperationOf<Op>;
}

/** The longest session id AILB keeps (the chat route cuts `X-Session-ID` to it too). */
export const MAX_SESSION_ID_LENGTH = 256;

/** `GET` and `DELETE /v1/memory/sessions/{session_id}` (AILB's own endpoints). */
export function decodeMemorySessionRequest<Op extends 'session.get' | 'session.delete'>(op: Op, sessionId: string | undefined): KnowledgeOperationOf<Op> {
  const id = pathId(sessionId, 'session_id');
  if (id.length > MAX_SESSION_ID_LENGTH) throw new GatewayError('invalid_value', `Invalid 'session_id': at most ${MAX_SESSION_ID_LENGTH} characters.`, { param: 'session_id' });
  return { op, sessionId: id } as KnowledgeOperationOf<Op>;
}
