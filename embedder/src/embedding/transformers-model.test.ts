import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
// The generator lives in the testkit; imported by path until the testkit exports it as a subpath.
import { writeTinyEmbeddingModel } from '@ailb/testkit/tiny-embedding-model';
import { TransformersModel } from './transformers-model.js';

const HIDDEN_SIZE = 32;
const dot = (left: number[], right: number[]) => left.reduce((total, value, index) => total + value * right[index]!, 0);

let root: string;
let folder: string;
const models: TransformersModel[] = [];
/** Every way transformers.js (env.fetch) or anything else (global fetch) could reach the network. */
const libraryFetch = vi.fn(async (_url: string | URL, _init?: unknown) => new Response('not found', { status: 404 }));
let originalLibraryFetch: typeof env.fetch;

function open(options: Partial<ConstructorParameters<typeof TransformersModel>[0]> = {}): TransformersModel {
  const model = new TransformersModel({ model: folder, ...options });
  models.push(model);
  return model;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ailb-tiny-model-'));
  folder = join(root, 'acme', 'tiny-bert');
  await writeTinyEmbeddingModel(folder, { hiddenSize: HIDDEN_SIZE });
  originalLibraryFetch = env.fetch;
  env.fetch = libraryFetch;
});

afterEach(async () => {
  await Promise.all(models.splice(0).map((model) => model.close()));
});

afterAll(async () => {
  env.fetch = originalLibraryFetch;
  await rm(root, { recursive: true, force: true });
});

describe('TransformersModel with a generated tiny model on disk, remote models disabled', () => {
  it('loads the folder lazily, once, without touching the network', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    try {
      const model = open();
      expect(model.name).toBe(`transformers:${folder}`);
      const [first, second] = await Promise.all([model.load(), model.load()]);
      expect(first).toEqual({ dimensions: HIDDEN_SIZE });
      expect(second).toEqual(first);
      // Only model.onnx was written: the explicit fp32 choice, not a quantized default, found it.
      expect(existsSync(join(folder, 'onnx', 'model_quantized.onnx'))).toBe(false);
      const [vector] = await model.embed(['Where is my parcel?']);
      expect(vector).toHaveLength(HIDDEN_SIZE);
      expect(libraryFetch).not.toHaveBeenCalled();
      expect(globalFetch).not.toHaveBeenCalled();
    } finally {
      globalFetch.mockRestore();
    }
  });

  it('embeds unit-length vectors, deterministic across calls and instances, batches equal to singles', async () => {
    const texts = ['can I get my money back?', 'Refund policy for annual billing plans', 'the cat sat on the mat', 'Will it rain tomorrow?', 'reset my password', 'an unknown zyxwv word'];
    const model = open({ maxBatch: 4 });
    const batch = await model.embed(texts);
    expect(batch).toHaveLength(texts.length);
    for (const vector of batch) {
      expect(vector).toHaveLength(HIDDEN_SIZE);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 6);
    }
    const singles = [];
    for (const text of texts) singles.push((await model.embed([text], { priority: 'query' }))[0]!);
    singles.forEach((single, index) => single.forEach((value, dimension) => expect(value).toBeCloseTo(batch[index]![dimension]!, 5)));
    expect(await open().embed(texts)).toEqual(await model.embed(texts));
  });

  it('puts a related text closer than an unrelated one', async () => {
    // Topic words share a direction in the tiny model, so this holds without shared words.
    const [question, refund, cat, password, login, parcel, order] = await open().embed([
      'can I get my money back?',
      'Refund policy for annual billing plans',
      'the cat sat on the mat',
      'I forgot my password',
      'how to reset the login code of an account',
      'Where is my parcel?',
      'track the delivery of an order',
    ]);
    expect(dot(question!, refund!)).toBeGreaterThan(dot(question!, cat!) + 0.3);
    expect(dot(password!, login!)).toBeGreaterThan(dot(password!, refund!) + 0.3);
    expect(dot(parcel!, order!)).toBeGreaterThan(Math.max(dot(parcel!, refund!), dot(parcel!, login!)) + 0.3);
  });

  it('accepts a folder relative to the working directory, and a hub-shaped id under localModelPath', async () => {
    const relativeFolder = relative(process.cwd(), folder);
    expect(await open({ model: relativeFolder }).load()).toEqual({ dimensions: HIDDEN_SIZE });
    const mounted = open({ model: 'acme/tiny-bert', localModelPath: root });
    expect(await mounted.embed(['track my order'])).toEqual(await open().embed(['track my order']));
    expect(libraryFetch).not.toHaveBeenCalled();
  });

  it('fails fast on a hub id with a clear error, never reaching the network', async () => {
    const model = open({ model: 'Xenova/all-MiniLM-L6-v2' });
    const started = performance.now();
    await expect(model.load()).rejects.toThrow(/"Xenova\/all-MiniLM-L6-v2" is not a local folder .* allowRemoteModels is false/);
    await expect(model.embed(['hello'])).rejects.toThrow(/allowRemoteModels/);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(libraryFetch).not.toHaveBeenCalled();
  });

  it('hands a hub id to transformers.js only when the deployment allows remote models', async () => {
    const cacheDir = join(root, 'cache');
    const model = open({ model: 'acme/not-mounted', allowRemoteModels: true, cacheDir });
    // env.fetch answers 404 here, so this shows the request that would have gone out, offline.
    await expect(model.load()).rejects.toThrow();
    expect(libraryFetch).toHaveBeenCalled();
    expect(String(libraryFetch.mock.calls[0]?.[0])).toMatch(/^https:\/\/huggingface\.co\/acme\/not-mounted\/resolve\/main\//);
    libraryFetch.mockClear();
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const model = open();
    await model.load();
    const pending = model.embed(['order delivery'], { priority: 'bulk' });
    await model.close();
    await model.close();
    await expect(pending).resolves.toHaveLength(1);
    await expect(model.embed(['too late'])).rejects.toThrow(/closed/);
    await expect(model.load()).rejects.toThrow(/closed/);
    // Closing a model that never loaded does not load it.
    await expect(open({ model: 'never/loaded' }).close()).resolves.toBeUndefined();
  });
});
