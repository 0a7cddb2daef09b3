export { createOpenAIProvider, OPENAI_DEFAULT_BASE_URL, type OpenAIProviderOptions } from './openai-provider.js';
