/*
 * @ailb/embedder: memory and RAG vectorisation off the hot path, into Chroma. Entry point `main.ts`
 * (split mode); the embedded default composes `EmbedderRuntime` with the in-process transport.
 */
export { EmbedderRuntime, type EmbedderRuntimeOptions } from './embedder-runtime.js';
export { startRedisEmbedder, type RedisEmbedder } from './redis-embedder.js';
export { startChromaServer, type OwnChromaServer } from './chroma/chroma-server.js';
export type { EmbeddingModel, EmbedOptions } from './embedding/embedding-model.js';
export { createEmbeddingModel } from './embedding/create-embedding-model.js';
export { UseLiteModel } from './embedding/use-lite-model.js';
export { TransformersModel, type TransformersModelOptions, type TransformersDtype } from './embedding/transformers-model.js';
