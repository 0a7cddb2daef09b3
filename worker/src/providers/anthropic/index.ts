import type { ChatProvider, ProviderConfig } from '@ailb/shared';
import { AnthropicProvider } from './anthropic-provider.js';

export { AnthropicProvider } from './anthropic-provider.js';

/** Creates the adapter for one configured Anthropic deployment (the `ChatProviderFactory` for type `anthropic`). */
export function createAnthropicProvider(config: ProviderConfig): ChatProvider {
  return new AnthropicProvider(config);
}
