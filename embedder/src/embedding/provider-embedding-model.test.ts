import { embedText, startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderEmbeddingModel } from './provider-embedding-model.js';

/* `openai:` and `ollama:` embedding models against AILB's simulated provider (both wire formats). */

let simulator: SimulatedProvider;
beforeAll(async () => {
  simulator = await startSimulatedProvider({ models: ['text-embedding-3-small', 'nomic-embed-text'] });
});
afterAll(() => simulator.close());

const key = 'sk-embed-secret-0123456789';
const openai = () => new ProviderEmbeddingModel({ id: 'oa', type: 'openai', base_url: `${simulator.url}/v1`, api_key: key, default_max_tokens: 4096 }, 'text-embedding-3-small', { maxBatch: 2 });
const ollama = () => new ProviderEmbeddingModel({ id: 'ol', type: 'ollama', base_url: simulator.url, default_max_tokens: 4096 }, 'nomic-embed-text');
const norm = (vector: number[]) => Math.hypot(...vector);

describe('ProviderEmbeddingModel', () => {
  it('embeds through OpenAI’s /embeddings in batches, in order, with the key, as unit vectors', async () => {
    const model = openai();
    simulator.reset();
    const texts = ['refund policy', 'reset my password', 'export notes'];
    const vectors = await model.embed(texts);
    expect(model.name).toBe('openai:text-embedding-3-small');
    expect(vectors).toHaveLength(3);
    // The simulator's vectors are deterministic per text: the order is kept across batches.
    vectors.forEach((vector, index) => {
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(vector[0]).toBeCloseTo(embedText(texts[index]!, vector.length)[0]!, 5);
    });
    expect(simulator.requests.map((request) => request.path)).toEqual(['/v1/embeddings', '/v1/embeddings']);
    expect(simulator.requests[0]!.headers.authorization).toBe(`Bearer ${key}`);
    expect(await model.load()).toEqual({ dimensions: vectors[0]!.length });
    await model.close();
    await model.close();
    await expect(model.embed(['x'])).rejects.toThrow('closed');
  });

  it('embeds through Ollama’s /api/embed', async () => {
    const model = ollama();
    simulator.reset();
    const [vector] = await model.embed(['hello']);
    expect(norm(vector!)).toBeCloseTo(1, 5);
    expect(simulator.requests[0]!.path).toBe('/api/embed');
    await model.close();
  });

  it('names the deployment on failure and never shows the key', async () => {
    const model = new ProviderEmbeddingModel({ id: 'oa', type: 'openai', base_url: `${simulator.url}/v1`, api_key: key, default_max_tokens: 4096 }, 'text-embedding-3-small');
    simulator.script([{ fault: '500', count: 1 }]);
    const failure = (await model.embed(['anything']).then(() => undefined, (error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ code: 'upstream_error', provider: 'oa' });
    expect(failure.message).toMatch(/^Embeddings from provider oa failed: HTTP 500/);
    expect(failure.message).not.toContain(key);
    await model.close();
  });
});
