import { z } from 'zod';

/**
 * Options only some providers understand, keyed by provider type (`openai`, `anthropic`, `ollama`),
 * then by option name. A wire-format codec fills them with what its format says and the spec cannot
 * (say, OpenAI's `logit_bias`); only the adapter of that provider type reads its own key.
 */
export const providerOptionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
export type ProviderOptions = z.infer<typeof providerOptionsSchema>;

/**
 * What a provider attached to a result or part that only it can use again, keyed like
 * {@link ProviderOptions} (e.g. the signature Anthropic puts on a reasoning block, needed to send the
 * block back in a later turn).
 */
export const providerMetadataSchema = providerOptionsSchema;
export type ProviderMetadata = z.infer<typeof providerMetadataSchema>;
