import type { AilbEnv } from '../../contracts/config/env.schema.js';
import type { ConfigFile } from '../../contracts/config/config.schema.js';
import type { KnowledgeConfig } from '../../contracts/config/knowledge-config.schema.js';

/** Defaults of memory, RAG, files and the embedder (the README's configuration tables list them). */
export const KNOWLEDGE_DEFAULTS = {
  recentTurns: 4,
  maxContextTokens: 1000,
  ttlSeconds: 30 * 24 * 3600,
  maxTurns: 200,
  timeoutMs: 500,
  topK: 4,
  fileMaxBytes: 10 * 1024 * 1024,
  model: 'use-lite',
  dataDir: './.ailb-data',
  concurrency: 2,
} as const;

/** The knowledge section of the resolved configuration; environment variables win over the file. */
export function resolveKnowledge(vars: AilbEnv, file: ConfigFile): KnowledgeConfig {
  const { memory, rag, files, embedder } = file;
  return {
    memory: {
      enabled: vars.ENABLE_MEMORY ?? memory?.enabled ?? true,
      recentTurns: memory?.recent_turns ?? KNOWLEDGE_DEFAULTS.recentTurns,
      maxContextTokens: memory?.max_context_tokens ?? KNOWLEDGE_DEFAULTS.maxContextTokens,
      ttlSeconds: memory?.ttl_seconds ?? KNOWLEDGE_DEFAULTS.ttlSeconds,
      maxTurns: memory?.max_turns ?? KNOWLEDGE_DEFAULTS.maxTurns,
      timeoutMs: memory?.timeout_ms ?? KNOWLEDGE_DEFAULTS.timeoutMs,
    },
    rag: {
      enabled: vars.ENABLE_RAG ?? rag?.enabled ?? true,
      topK: rag?.top_k ?? KNOWLEDGE_DEFAULTS.topK,
      timeoutMs: rag?.timeout_ms ?? KNOWLEDGE_DEFAULTS.timeoutMs,
    },
    files: { maxBytes: files?.max_bytes ?? KNOWLEDGE_DEFAULTS.fileMaxBytes },
    embedder: {
      model: vars.EMBEDDING_MODEL ?? embedder?.model ?? KNOWLEDGE_DEFAULTS.model,
      provider: embedder?.provider,
      allowRemoteModels: embedder?.allow_remote_models ?? false,
      modelsPath: embedder?.models_path,
      chromaUrl: vars.CHROMA_URL ?? embedder?.chroma_url ?? null,
      dataDir: vars.AILB_DATA_DIR ?? embedder?.data_dir ?? KNOWLEDGE_DEFAULTS.dataDir,
      concurrency: embedder?.concurrency ?? KNOWLEDGE_DEFAULTS.concurrency,
    },
  };
}
