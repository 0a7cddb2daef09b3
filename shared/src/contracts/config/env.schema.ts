import { z } from 'zod';
import { logLevelSchema, routingStrategySchema } from './config.schema.js';
import { scanPolicySchema } from '../scanning/scan-policy.js';

/*
 * Every environment variable AILB reads, as one zod schema: a variable set to an empty string (common in
 * compose files) counts as unset; numbers are parsed and range-checked here, so a bad value stops the
 * process with a message naming the variable instead of failing later inside a library.
 */

const blankToUndefined = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

const text = (schema: z.ZodType<string> = z.string()) => z.preprocess(blankToUndefined, schema.optional());

const integer = (min: number, max?: number) => {
  const range = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  let schema = z.number({ error: `must be ${range}` }).int(`must be ${range}`).min(min, `must be ${range}`);
  if (max !== undefined) schema = schema.max(max, `must be ${range}`);
  return z.preprocess((value) => {
    const blank = blankToUndefined(value);
    return typeof blank === 'string' ? Number(blank) : blank;
  }, schema.optional());
};

const fraction = () =>
  z.preprocess((value) => {
    const blank = blankToUndefined(value);
    return typeof blank === 'string' ? Number(blank) : blank;
  }, z.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1').optional());

const list = z.preprocess((value) => {
  const blank = blankToUndefined(value);
  if (typeof blank !== 'string') return blank;
  const items = blank.split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}, z.array(z.string()).optional());

const url = text(z.url({ error: 'must be a URL' }));

const flag = () =>
  z.preprocess((value) => {
    const blank = blankToUndefined(value);
    if (typeof blank !== 'string') return blank;
    const word = blank.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    if (['false', '0', 'no', 'off'].includes(word)) return false;
    return blank;
  }, z.boolean({ error: 'must be true or false' }).optional());

/** The seed's backend switches: Chroma is the one vector store AILB has. */
const backend = () => text(z.enum(['chromadb'], { error: 'must be chromadb (the only vector store AILB supports)' }));
const identifier = (what: string) => text(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, `must be 1-64 letters, digits, ".", "_" or "-" (${what})`));

/** The environment variables AILB reads; everything else in the environment is ignored. */
export const envSchema = z.object({
  HTTP_PORT: integer(0, 65535),
  HTTP_HOST: text(z.string().regex(/^\S+$/, 'must be a host name or address')),
  GRPC_PORT: integer(0, 65535),
  METRICS_PORT: integer(0, 65535),
  METRICS_HOST: text(z.string().regex(/^\S+$/, 'must be a host name or address')),
  GRPC_HOST: text(z.string().regex(/^\S+$/, 'must be a host name or address')),
  GRPC_TLS_CERT: text(),
  GRPC_TLS_KEY: text(),
  GRPC_AUTH_TOKEN: text(z.string().regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 printable characters without spaces (a random secret)')),
  AILB_MASTER_KEY: text(z.string().regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 printable characters without spaces (a random secret)')),
  AILB_PROTECT_OPS: flag(),
  MODULE_ID: identifier('it names Redis channels'),
  ROUTING_STRATEGY: text(z.enum(routingStrategySchema.options, { error: `must be one of ${routingStrategySchema.options.join(', ')}` })),
  OPENAI_API_KEY: text(),
  OPENAI_BASE_URL: url,
  OPENAI_MODELS: list,
  ANTHROPIC_API_KEY: text(),
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_MODELS: list,
  OLLAMA_BASE_URL: url,
  OLLAMA_MODELS: list,
  REDIS_URL: text(z.string().regex(/^rediss?:\/\/\S+$/, 'must start with redis:// or rediss://')),
  AILB_REDIS_PREFIX: identifier('it prefixes every Redis key'),
  AILB_CONFIG: text(),
  AILB_BODY_LIMIT_BYTES: integer(1024),
  AILB_JSON_MAX_DEPTH: integer(2, 10_000),
  AILB_REQUEST_TIMEOUT_MS: integer(100),
  AILB_WORKER_CONCURRENCY: integer(1, 10_000),
  AILB_WORKER_LOCK_MS: integer(1000),
  AILB_TRACE_SAMPLE_RATE: fraction(),
  ENABLE_MEMORY: flag(),
  ENABLE_RAG: flag(),
  MEMORY_BACKEND: backend(),
  RAG_BACKEND: backend(),
  EMBEDDING_MODEL: text(z.string().regex(/^(use-lite|transformers:.+|openai:.+|ollama:.+)$/, 'must be use-lite, transformers:<model>, openai:<model> or ollama:<model>')),
  CHROMA_URL: url,
  AILB_DATA_DIR: text(),
  LOG_LEVEL: text(z.enum(logLevelSchema.options, { error: `must be one of ${logLevelSchema.options.join(', ')}` })),
  VERSION: identifier('it names a blue/green version and a queue lane'),
  AILB_PROMOTION_STEP_MS: integer(100),
  AILB_SCAN_POLICY: text(z.enum(scanPolicySchema.options, { error: `must be one of ${scanPolicySchema.options.join(', ')}` })),
});
export type AilbEnv = z.infer<typeof envSchema>;
