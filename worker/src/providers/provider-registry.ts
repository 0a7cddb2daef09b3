import type { ChatProvider, ChatProviderFactory, ProviderConfig, ProviderType } from '@ailb/shared';
import { createAnthropicProvider } from './anthropic/index.js';
import { createOllamaProvider } from './ollama/index.js';
import { createOpenAIProvider } from './openai/index.js';

/** The one place provider types meet their adapters. */
const factories: Record<ProviderType, ChatProviderFactory> = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
  ollama: createOllamaProvider,
};

/** Creates one adapter per configured deployment, keyed by deployment id. */
export function createProviders(configs: ProviderConfig[]): Map<string, ChatProvider> {
  return new Map(configs.map((config) => [config.id, factories[config.type](config)]));
}
