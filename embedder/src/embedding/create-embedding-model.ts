import type { KnowledgeConfig, ProviderConfig } from '@ailb/shared';
import type { EmbeddingModel } from './embedding-model.js';
import { ProviderEmbeddingModel } from './provider-embedding-model.js';
import { TransformersModel } from './transformers-model.js';
import { UseLiteModel } from './use-lite-model.js';

/**
 * The embedding model named by `embedder.model` / EMBEDDING_MODEL. Nothing is loaded here: every model
 * loads on first use, so a process that never embeds (plain chat in the embedded default) pays nothing.
 */
export function createEmbeddingModel(config: KnowledgeConfig['embedder'], providers: readonly ProviderConfig[]): EmbeddingModel {
  const { model } = config;
  if (model === 'use-lite') return new UseLiteModel();
  const separator = model.indexOf(':');
  const kind = model.slice(0, separator);
  const name = model.slice(separator + 1);
  if (kind === 'transformers') {
    return new TransformersModel({ model: name, allowRemoteModels: config.allowRemoteModels, ...(config.modelsPath === undefined ? {} : { localModelPath: config.modelsPath }) });
  }
  // The configuration loader has checked that such a provider exists.
  const provider = config.provider === undefined ? providers.find((candidate) => candidate.type === kind) : providers.find((candidate) => candidate.id === config.provider);
  if (!provider) throw new Error(`embedder.model: ${model} needs a provider of type ${kind}`);
  return new ProviderEmbeddingModel(provider, name);
}
