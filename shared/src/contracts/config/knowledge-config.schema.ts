import { z } from 'zod';

/*
 * Configuration of memory, RAG and the embedder: the YAML sections as written and the resolved form.
 * Kept apart from config.schema.ts, which is about routing requests to providers.
 */

/** Vector store backends the seed named; AILB has one, Chroma. */
export const knowledgeBackendSchema = z.enum(['chromadb']);

/** `embedder:` in the YAML file. */
export const embedderFileSchema = z.strictObject({
  /**
   * The embedding model: `use-lite` (bundled, offline), `transformers:<folder or hub id>`,
   * `openai:<model>` or `ollama:<model>` (a configured provider's embeddings endpoint).
   */
  model: z.string().min(1).optional(),
  /** For `openai:`/`ollama:` models: the provider deployment to call (default: the first of that type). */
  provider: z.string().min(1).optional(),
  /** For `transformers:` hub ids: let transformers.js download the model. @defaultValue false */
  allow_remote_models: z.boolean().optional(),
  /** For `transformers:`: the folder hub ids are looked up in (`<folder>/<id>`). */
  models_path: z.string().min(1).optional(),
  /** A Chroma server shared by every embedder; unset, the embedder starts its own under `data_dir`. */
  chroma_url: z.url().optional(),
  /** Where a self-started Chroma keeps its data. @defaultValue ./.ailb-data */
  data_dir: z.string().min(1).optional(),
  /** Ingestion and memory-write jobs one embedder runs at a time. @defaultValue 2 */
  concurrency: z.number().int().min(1).max(64).optional(),
});

/** `memory:` in the YAML file. */
export const memoryFileSchema = z.strictObject({
  enabled: z.boolean().optional(),
  backend: knowledgeBackendSchema.optional(),
  /** Latest turns of the session always recalled, verbatim. @defaultValue 4 */
  recent_turns: z.number().int().min(0).max(50).optional(),
  /** Tokens the recalled turns may take in the prompt. @defaultValue 1000 */
  max_context_tokens: z.number().int().min(50).max(100_000).optional(),
  /** How long a turn is kept. @defaultValue 2592000 (30 days) */
  ttl_seconds: z.number().int().min(60).optional(),
  /** Turns kept per session; the oldest go first. @defaultValue 200 */
  max_turns: z.number().int().min(1).max(10_000).optional(),
  /** Recall deadline; past it the request goes on without memory. @defaultValue 500 */
  timeout_ms: z.number().int().min(10).max(60_000).optional(),
});

/** `rag:` in the YAML file. */
export const ragFileSchema = z.strictObject({
  enabled: z.boolean().optional(),
  backend: knowledgeBackendSchema.optional(),
  /** Chunks injected when the request gives no `rag_top_k`. @defaultValue 4 */
  top_k: z.number().int().min(1).max(50).optional(),
  /** Retrieval deadline; past it the request goes on without RAG context. @defaultValue 500 */
  timeout_ms: z.number().int().min(10).max(60_000).optional(),
});

/** `files:` in the YAML file. */
export const filesFileSchema = z.strictObject({
  /** Largest upload accepted by `POST /v1/files`; larger ones get 413. @defaultValue 10485760 (10 MiB) */
  max_bytes: z.number().int().min(1024).max(512 * 1024 * 1024).optional(),
});

/** The resolved configuration of memory, RAG, files and the embedder. */
export const knowledgeConfigSchema = z.object({
  memory: z.object({
    enabled: z.boolean(),
    recentTurns: z.number().int().min(0),
    maxContextTokens: z.number().int().min(1),
    ttlSeconds: z.number().int().min(1),
    maxTurns: z.number().int().min(1),
    timeoutMs: z.number().int().min(1),
  }),
  rag: z.object({ enabled: z.boolean(), topK: z.number().int().min(1), timeoutMs: z.number().int().min(1) }),
  files: z.object({ maxBytes: z.number().int().min(1) }),
  embedder: z.object({
    model: z.string().regex(/^(use-lite|transformers:.+|openai:.+|ollama:.+)$/, 'must be use-lite, transformers:<model>, openai:<model> or ollama:<model>'),
    provider: z.string().optional(),
    allowRemoteModels: z.boolean(),
    modelsPath: z.string().optional(),
    /** null: the embedder starts Chroma itself under `dataDir`. */
    chromaUrl: z.string().nullable(),
    dataDir: z.string().min(1),
    concurrency: z.number().int().min(1),
  }),
});
export type KnowledgeConfig = z.infer<typeof knowledgeConfigSchema>;
