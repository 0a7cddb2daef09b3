import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { SimulatedProvider } from '../src/index.js';

/** The error classes' instance types (the SDKs export them as values on the client class). */
export type AnthropicApiError = InstanceType<typeof Anthropic.APIError>;
export type OpenAIApiError = InstanceType<typeof OpenAI.APIError>;

/** The official OpenAI client pointed at the simulator; no retries so faults surface directly. */
export function openAIClient(sim: SimulatedProvider, apiKey = 'x'): OpenAI {
  return new OpenAI({ baseURL: `${sim.url}/v1`, apiKey, maxRetries: 0, logLevel: 'off' });
}

/** The official Anthropic client pointed at the simulator. */
export function anthropicClient(sim: SimulatedProvider, apiKey = 'x'): Anthropic {
  return new Anthropic({ baseURL: sim.url, apiKey, maxRetries: 0, logLevel: 'off' });
}

/** Awaits a promise expected to reject and returns the error (fails the test if it resolves). */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Drains an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** POSTs JSON to an Ollama endpoint and returns the response. */
export function ollamaPost(sim: SimulatedProvider, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** Parses an NDJSON body into its objects. */
export async function ndjson(response: Response): Promise<Array<Record<string, unknown>>> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Splits an SSE body into its `data:` payloads (raw text, so invalid JSON can be inspected). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.split('\n').find((line) => line.startsWith('data: '))?.slice('data: '.length))
    .filter((data): data is string => data !== undefined);
}
