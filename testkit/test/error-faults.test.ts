import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedProvider, type SimulatedProvider } from '../src/index.js';
import { type AnthropicApiError, anthropicClient, caught, ollamaPost, type OpenAIApiError, openAIClient } from './helpers.js';

let sim: SimulatedProvider;

beforeAll(async () => {
  sim = await startSimulatedProvider();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const openAIRequest = { model: 'sim-small', messages: [{ role: 'user' as const, content: 'hi' }] };
const anthropicRequest = { model: 'sim-small', max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };
const ollamaRequest = { model: 'sim-small', stream: false, messages: [{ role: 'user', content: 'hi' }] };

describe('error faults in each API family', () => {
  it('429 carries Retry-After only when retry_after is given', async () => {
    sim.script([{ fault: '429', options: { retry_after: 7 } }, { fault: '429' }]);
    const withHeader = await caught(openAIClient(sim).chat.completions.create(openAIRequest));
    expect(withHeader).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimited = withHeader as OpenAIApiError;
    expect(rateLimited.headers?.get('retry-after')).toBe('7');
    expect(rateLimited.code).toBe('rate_limit_exceeded');
    const withoutHeader = (await caught(openAIClient(sim).chat.completions.create(openAIRequest))) as OpenAIApiError;
    expect(withoutHeader.headers?.get('retry-after')).toBeNull();
    expect(sim.requests.map((record) => [record.outcome, record.fault, record.status])).toEqual([
      ['fault', '429', 429],
      ['fault', '429', 429],
    ]);

    sim.script([{ fault: '429', options: { retry_after: 3 } }]);
    const anthropicError = await caught(anthropicClient(sim).messages.create(anthropicRequest));
    expect(anthropicError).toBeInstanceOf(Anthropic.RateLimitError);
    expect((anthropicError as AnthropicApiError).headers?.get('retry-after')).toBe('3');
    expect((anthropicError as AnthropicApiError).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });

    const ollama = await ollamaPost(sim, '/api/chat', { ...ollamaRequest, messages: [{ role: 'user', content: '[sim fault=429 retry_after=2]' }] });
    expect(ollama.status).toBe(429);
    expect(ollama.headers.get('retry-after')).toBe('2');
    expect(await ollama.json()).toEqual({ error: expect.any(String) });
  });

  it('500 and 503 (Anthropic 529 with overloaded=1)', async () => {
    sim.script([{ fault: '500' }, { fault: '503' }]);
    const server = (await caught(openAIClient(sim).chat.completions.create(openAIRequest))) as OpenAIApiError;
    expect(server).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.type).toBe('server_error');
    const unavailable = (await caught(openAIClient(sim).chat.completions.create(openAIRequest))) as OpenAIApiError;
    expect(unavailable.status).toBe(503);

    sim.script([{ fault: '500' }, { fault: '503', options: { overloaded: 1 } }, { fault: '503' }]);
    const client = anthropicClient(sim);
    const apiError = (await caught(client.messages.create(anthropicRequest))) as AnthropicApiError;
    expect([apiError.status, apiError.error]).toEqual([500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }]);
    const overloaded = (await caught(client.messages.create(anthropicRequest))) as AnthropicApiError;
    expect([overloaded.status, overloaded.error]).toEqual([529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    const plain503 = (await caught(client.messages.create(anthropicRequest))) as AnthropicApiError;
    expect(plain503.status).toBe(503);

    const ollama = await ollamaPost(sim, '/api/chat', { ...ollamaRequest, messages: [{ role: 'user', content: '[sim fault=500]' }] });
    expect(ollama.status).toBe(500);
  });

  it('context_length in each provider shape', async () => {
    sim.script([{ fault: 'context_length', count: 3 }]);
    const openAIError = (await caught(openAIClient(sim).chat.completions.create(openAIRequest))) as OpenAIApiError;
    expect(openAIError.status).toBe(400);
    expect(openAIError.error).toEqual({
      message: expect.stringMatching(/^This model's maximum context length is 128000 tokens/),
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    const anthropicError = (await caught(anthropicClient(sim).messages.create(anthropicRequest))) as AnthropicApiError;
    expect(anthropicError.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
    });
    const ollama = await ollamaPost(sim, '/api/chat', ollamaRequest);
    expect(ollama.status).toBe(400);
    expect(((await ollama.json()) as { error: string }).error).toMatch(/context length/);
  });

  it('content_filter in each provider shape', async () => {
    sim.script([{ fault: 'content_filter', count: 3 }]);
    const openAIError = (await caught(openAIClient(sim).chat.completions.create(openAIRequest))) as OpenAIApiError;
    expect(openAIError.status).toBe(400);
    expect(openAIError.code).toBe('content_filter');
    expect(openAIError.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('content management policy') });
    const anthropicError = (await caught(anthropicClient(sim).messages.create(anthropicRequest))) as AnthropicApiError;
    expect(anthropicError.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Output blocked by content filtering policy' },
    });
    const ollama = await ollamaPost(sim, '/api/chat', ollamaRequest);
    expect(ollama.status).toBe(400);
    expect(((await ollama.json()) as { error: string }).error).toMatch(/content filter/);
  });

  it('auth fault answers each provider 401', async () => {
    sim.script([{ fault: 'auth', count: 3 }]);
    const openAIError = await caught(openAIClient(sim).chat.completions.create(openAIRequest));
    expect(openAIError).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((openAIError as OpenAIApiError).code).toBe('invalid_api_key');
    const anthropicError = await caught(anthropicClient(sim).messages.create(anthropicRequest));
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((anthropicError as AnthropicApiError).error).toMatchObject({ error: { type: 'authentication_error' } });
    const ollama = await ollamaPost(sim, '/api/chat', ollamaRequest);
    expect([ollama.status, await ollama.json()]).toEqual([401, { error: 'unauthorized' }]);
  });

  it('rejects an unknown fault named in a directive', async () => {
    const error = (await caught(
      openAIClient(sim).chat.completions.create({ ...openAIRequest, messages: [{ role: 'user', content: '[sim fault=nope]' }] }),
    )) as OpenAIApiError;
    expect(error.status).toBe(400);
    expect(error.message).toContain('Unknown simulator fault "nope"');
  });
});

describe('apiKey option', () => {
  it('requires the key on every API, in each 401 shape, but not on admin endpoints', async () => {
    const guarded = await startSimulatedProvider({ apiKey: 'secret-key-123' });
    try {
      const wrong = await caught(openAIClient(guarded, 'sk-wrong-key-0000').chat.completions.create(openAIRequest));
      expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((wrong as OpenAIApiError).error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
      const ok = await openAIClient(guarded, 'secret-key-123').chat.completions.create(openAIRequest);
      expect(ok.choices[0]?.message.content).toBe('Hello from sim-small. You said: hi');

      const anthropicWrong = await caught(anthropicClient(guarded, 'wrong').messages.create(anthropicRequest));
      expect(anthropicWrong).toBeInstanceOf(Anthropic.AuthenticationError);
      const viaHeader = await fetch(`${guarded.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'secret-key-123', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify(anthropicRequest),
      });
      expect(viaHeader.status).toBe(200);

      const ollama = await ollamaPost(guarded, '/api/chat', ollamaRequest);
      expect([ollama.status, await ollama.json()]).toEqual([401, { error: 'unauthorized' }]);
      expect((await fetch(`${guarded.url}/__sim/requests`)).status).toBe(200);
      expect(guarded.requests.map((record) => record.status)).toEqual([401, 200, 401, 200, 401]);
    } finally {
      await guarded.close();
    }
  });
});
