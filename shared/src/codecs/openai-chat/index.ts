/*
 * `@ailb/shared/openai-chat`: the OpenAI Chat Completions wire format as a codec — the request schema
 * and its validation errors, decoding into the provider-neutral spec, encoding results, chunks and
 * errors back. The gateway's OpenAI route group is its user (and version-1 chat jobs, which carried
 * OpenAI bodies, are upgraded with it).
 */
export * from './chat-request.schema.js';
export * from './chat-response.js';
export * from './validation-error.js';
export * from './wire-locations.js';
export * from './decode-chat-request.js';
export * from './encode-chat-response.js';
