import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { normalise, type EmbeddingModel, type EmbedOptions } from './embedding-model.js';
import { SerialRunner } from './serial-runner.js';

/** Weight files transformers.js can pick in a model's `onnx/` folder (`fp32` → `model.onnx`, `q8` → `model_quantized.onnx`). */
export type TransformersDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

export interface TransformersModelOptions {
  /**
   * A model folder (absolute, or relative to the working directory) holding `config.json`,
   * `tokenizer.json`, `tokenizer_config.json` and `onnx/model.onnx`, or a Hugging Face hub id such as
   * `Xenova/all-MiniLM-L6-v2`. A folder wins over a hub id of the same spelling.
   */
  model: string;
  /**
   * Let transformers.js download a hub id that is not on disk. Off unless a deployment opts in: an
   * offline machine would otherwise stall on the first embedding, and a download should be a decision.
   * @defaultValue false
   */
  allowRemoteModels?: boolean;
  /**
   * A folder of mounted models: `model` is also looked up as `<localModelPath>/<model>` (so
   * `Xenova/all-MiniLM-L6-v2` can be served from `/models/Xenova/all-MiniLM-L6-v2`).
   * @defaultValue none: only `model` itself, resolved against the working directory
   */
  localModelPath?: string;
  /**
   * Where downloaded hub files are kept (only used when `allowRemoteModels`).
   * @defaultValue transformers.js' own cache, `.cache/` inside its installed package
   */
  cacheDir?: string;
  /**
   * Texts per batch. Padding makes a batch as long as its longest text, and a query waits for the
   * batch in progress, so batches stay small. @defaultValue 8
   */
  maxBatch?: number;
  /**
   * Which weights to load. `fp32` reads `onnx/model.onnx`, which every exported model has; transformers.js
   * would otherwise choose per device, and `@xenova/transformers` chose `model_quantized.onnx`.
   * @defaultValue 'fp32'
   */
  dtype?: TransformersDtype;
}

type TransformersLibrary = typeof import('@huggingface/transformers');

interface Loaded {
  library: TransformersLibrary;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  dimensions: number;
}

/** Hub ids as the hub spells them: `name` or `owner/name`. */
const HUB_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;
const closedError = () => new Error('the embedding model is closed');

/**
 * `transformers:<folder or hub id>`: an ONNX sentence-embedding model (such as all-MiniLM-L6-v2) run by
 * transformers.js on onnxruntime-node, mean-pooled over the attention mask and normalised. Loaded on first
 * use, once; batches run one at a time, queries first. Inference runs on onnxruntime's own threads, so
 * the event loop only tokenises.
 *
 * transformers.js keeps its settings (`env.allowRemoteModels`, `env.localModelPath`, `env.cacheDir`) in
 * one object for the whole process, so two models with different settings would overwrite each other's.
 * This class sets none of them. It resolves a local folder itself and hands transformers.js an absolute
 * path, which the library never treats as a hub id and so never fetches; it refuses a hub id before
 * calling the library when remote models are off; and it passes `local_files_only`, `cache_dir`,
 * `dtype` and `device` with each load, which the library honours per call. (`pipeline()` is not used
 * because it looks up the model's files without those per-call options, through the globals.)
 */
export class TransformersModel implements EmbeddingModel {
  readonly name: string;
  readonly maxBatch: number;
  private readonly options: TransformersModelOptions;
  private readonly runner: SerialRunner;
  private loading: Promise<Loaded> | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: TransformersModelOptions) {
    if (options.model.trim() === '') throw new Error('transformers: the model (a folder or hub id) is empty');
    this.options = options;
    this.name = `transformers:${options.model}`;
    this.maxBatch = options.maxBatch ?? 8;
    this.runner = new SerialRunner(this.maxBatch, (texts) => this.track(this.run(texts)));
  }

  async load(): Promise<{ dimensions: number }> {
    const { dimensions } = await this.loaded();
    return { dimensions };
  }

  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]> {
    if (this.closed) return Promise.reject(closedError());
    return this.runner.embed(texts, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runner.failAll(closedError());
    // Releasing the ONNX session under a running batch would pull it from under onnxruntime.
    await this.running.catch(() => undefined);
    const loaded = await this.loading?.catch(() => undefined);
    await loaded?.model.dispose();
  }

  private loaded(): Promise<Loaded> {
    if (this.closed) return Promise.reject(closedError());
    this.loading ??= this.open().catch((error: unknown) => {
      // Not cached: a folder mounted after a failed start is picked up by the next call.
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async open(): Promise<Loaded> {
    // Resolved before the library is even imported, so a refused hub id costs one stat and no request.
    const source = resolveSource(this.options);
    // Imported here, not at the top: it loads onnxruntime's native binary, which a deployment on the
    // default `use-lite` model never needs.
    const library = await import('@huggingface/transformers');
    const local = source.kind === 'folder';
    const perCall = { local_files_only: local, cache_dir: local ? undefined : this.options.cacheDir };
    const [tokenizer, model] = await Promise.all([
      library.AutoTokenizer.from_pretrained(source.location, perCall),
      library.AutoModel.from_pretrained(source.location, { ...perCall, dtype: this.options.dtype ?? 'fp32', device: 'cpu' }),
    ]);
    // The vector length is whatever the model outputs, which config.json does not always say.
    const [probe] = await embedWith({ library, tokenizer, model }, ['dimension probe']);
    if (this.closed) {
      await model.dispose();
      throw closedError();
    }
    return { library, tokenizer, model, dimensions: probe?.length ?? 0 };
  }

  private async run(texts: readonly string[]): Promise<number[][]> {
    // A batch that started before close() finishes; close() waits for it before releasing the session.
    return embedWith(await this.loaded(), texts);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running = work;
    return work;
  }
}

/** Tokenise with padding, run the model, mean-pool over real tokens, scale to unit length. */
async function embedWith(loaded: Pick<Loaded, 'library' | 'tokenizer' | 'model'>, texts: readonly string[]): Promise<number[][]> {
  const inputs = loaded.tokenizer([...texts], { padding: true, truncation: true });
  const outputs = (await loaded.model(inputs)) as Record<string, Tensor | undefined>;
  const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
  if (!hidden) throw new Error(`transformers: the model has no last_hidden_state output (outputs: ${Object.keys(outputs).join(', ')})`);
  const pooled = loaded.library.mean_pooling(hidden, inputs.attention_mask as Tensor);
  const width = pooled.dims[1] ?? 0;
  const data = pooled.data as Float32Array;
  return texts.map((_, row) => normalise(data.subarray(row * width, (row + 1) * width)));
}

type Source = { kind: 'folder' | 'hub'; location: string };

/** The folder to load, or the hub id to download when that is allowed; otherwise a clear refusal. */
function resolveSource(options: TransformersModelOptions): Source {
  const { model, localModelPath } = options;
  const candidates = [resolve(model)];
  if (localModelPath !== undefined && !isAbsolute(model)) candidates.push(resolve(localModelPath, model));
  const folder = candidates.find(isDirectory);
  if (folder) return { kind: 'folder', location: folder };
  if (!options.allowRemoteModels) {
    throw new Error(
      `transformers: model "${model}" is not a local folder (looked in ${candidates.join(', ')}) and allowRemoteModels is false; ` +
        'mount the model folder there, or set allowRemoteModels to let transformers.js download it from the Hugging Face hub',
    );
  }
  if (!HUB_ID.test(model)) throw new Error(`transformers: model "${model}" is neither a local folder nor a hub id (owner/name)`);
  return { kind: 'hub', location: model };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
