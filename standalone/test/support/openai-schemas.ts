import { Ajv2020 } from 'ajv/dist/2020.js';

/*
 * The response schemas of OpenAI's published OpenAPI document (openai/openai-openapi, openapi.yaml,
 * info.version 2.3.0, OpenAPI 3.0), transcribed as JSON Schema 2020-12 for the objects AILB answers
 * with: chat completions and their stream chunks, errors, models. OpenAPI 3.0's `nullable: true`
 * becomes a type list. Like the document, the schemas allow extra properties; what they check is
 * that every required field is there with the right type, and that nothing is null where the
 * document says it may not be (`system_fingerprint`, for one, is a string or absent).
 *
 * One deliberate difference: a stream chunk's `usage` may be null. The document types it as an object
 * while its own description says it is null on every chunk but the last when
 * `stream_options.include_usage` is set, which is what OpenAI sends and what clients expect.
 */
const usage = {
  type: 'object',
  required: ['prompt_tokens', 'completion_tokens', 'total_tokens'],
  properties: {
    prompt_tokens: { type: 'integer' },
    completion_tokens: { type: 'integer' },
    total_tokens: { type: 'integer' },
    completion_tokens_details: { type: 'object', properties: { reasoning_tokens: { type: 'integer' } } },
  },
};
const tokenLogprob = {
  type: 'object',
  required: ['token', 'logprob', 'bytes', 'top_logprobs'],
  properties: {
    token: { type: 'string' },
    logprob: { type: 'number' },
    bytes: { type: ['array', 'null'], items: { type: 'integer' } },
    top_logprobs: { type: 'array', items: { type: 'object', required: ['token', 'logprob', 'bytes'] } },
  },
};
const choiceLogprobs = {
  type: ['object', 'null'],
  required: ['content', 'refusal'],
  properties: { content: { type: ['array', 'null'], items: tokenLogprob }, refusal: { type: ['array', 'null'], items: tokenLogprob } },
};
const finishReasons = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'];
const common = {
  id: { type: 'string' },
  created: { type: 'integer' },
  model: { type: 'string' },
  service_tier: { type: ['string', 'null'], enum: ['scale', 'default', null] },
  system_fingerprint: { type: 'string' },
};

const chatCompletion = {
  type: 'object',
  required: ['choices', 'created', 'id', 'model', 'object'],
  properties: {
    ...common,
    object: { enum: ['chat.completion'] },
    usage,
    choices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['finish_reason', 'index', 'message', 'logprobs'],
        properties: {
          finish_reason: { type: 'string', enum: finishReasons },
          index: { type: 'integer' },
          logprobs: choiceLogprobs,
          message: {
            type: 'object',
            required: ['role', 'content', 'refusal'],
            properties: {
              content: { type: ['string', 'null'] },
              refusal: { type: ['string', 'null'] },
              role: { enum: ['assistant'] },
              tool_calls: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'type', 'function'],
                  properties: {
                    id: { type: 'string' },
                    type: { enum: ['function'] },
                    function: { type: 'object', required: ['name', 'arguments'], properties: { name: { type: 'string' }, arguments: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const chatCompletionChunk = {
  type: 'object',
  required: ['choices', 'created', 'id', 'model', 'object'],
  properties: {
    ...common,
    object: { enum: ['chat.completion.chunk'] },
    usage: { ...usage, type: ['object', 'null'] },
    choices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['delta', 'finish_reason', 'index'],
        properties: {
          index: { type: 'integer' },
          logprobs: choiceLogprobs,
          finish_reason: { type: ['string', 'null'], enum: [...finishReasons, null] },
          delta: {
            type: 'object',
            properties: {
              content: { type: ['string', 'null'] },
              refusal: { type: ['string', 'null'] },
              role: { enum: ['system', 'user', 'assistant', 'tool'] },
              tool_calls: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['index'],
                  properties: {
                    index: { type: 'integer' },
                    id: { type: 'string' },
                    type: { enum: ['function'] },
                    function: { type: 'object', properties: { name: { type: 'string' }, arguments: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const errorResponse = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['type', 'message', 'param', 'code'],
      properties: { code: { type: ['string', 'null'] }, message: { type: 'string' }, param: { type: ['string', 'null'] }, type: { type: 'string' } },
    },
  },
};

const model = {
  type: 'object',
  required: ['id', 'object', 'created', 'owned_by'],
  properties: { id: { type: 'string' }, created: { type: 'integer' }, object: { enum: ['model'] }, owned_by: { type: 'string' } },
};
const modelList = { type: 'object', required: ['object', 'data'], properties: { object: { enum: ['list'] }, data: { type: 'array', items: model } } };

const ajv = new Ajv2020({ allErrors: true, strict: false });

/** Validators of OpenAI's response schemas (ajv's compiled functions), by name. */
const openAISchemas = {
  chatCompletion: ajv.compile(chatCompletion),
  chatCompletionChunk: ajv.compile(chatCompletionChunk),
  errorResponse: ajv.compile(errorResponse),
  model: ajv.compile(model),
  modelList: ajv.compile(modelList),
};

/** The schema's violations of `value`, as readable lines (empty when it validates). */
export function violations(name: keyof typeof openAISchemas, value: unknown): string[] {
  const validate = openAISchemas[name];
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${name}${error.instancePath} ${error.message ?? 'invalid'}`);
}
