export { createOllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';
