/*
 * `@ailb/shared/openai-knowledge`: OpenAI's Files and Vector Stores API (and AILB's memory-session
 * endpoints) as a codec — request schemas with OpenAI's names, limits and defaults, decoding into the
 * neutral knowledge operations the embedder runs, encoding its records back into OpenAI's objects, and
 * the strict response schemas transcribed from OpenAI's OpenAPI document that tests hold them to. The
 * gateway's OpenAI route group is its user.
 */
export * from './knowledge-request.schema.js';
export * from './decode-knowledge-request.js';
export * from './decode-file-upload.js';
export * from './knowledge-response.schema.js';
export * from './encode-knowledge-response.js';
export * from './encode-memory-session.js';
