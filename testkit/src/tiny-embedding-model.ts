import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxSchema } from 'onnx-proto';

/*
 * A tiny BERT-shaped sentence-embedding model, written to disk in the layout transformers.js loads
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), so the transformers.js path can
 * be tested offline: no package ships real weights and tests must never download any.
 *
 * The graph is one layer: word + token-type embeddings → MatMul → Add → Tanh → × attention mask, with
 * output `last_hidden_state` [batch, seq, hidden], which the caller mean-pools. Words of one topic get
 * embeddings around a shared direction, so "refund" is near "invoice" and far from "kitten": similar
 * texts give similar vectors even without shared words, which lets retrieval tests mean something.
 */

// onnx-proto is CommonJS; Node's ESM loader only sees its `module.exports` as the default export.
const { onnx } = onnxProto;

/** The vocabulary by topic. Words outside it become `[UNK]`; `##s`-style pieces cover simple inflections. */
export const TINY_EMBEDDING_TOPICS: Readonly<Record<string, readonly string[]>> = {
  billing: ['refund', 'money', 'payment', 'pay', 'paid', 'invoice', 'billing', 'bill', 'charge', 'price', 'cost', 'plan', 'annual', 'monthly', 'subscription', 'cancel', 'card', 'credit', 'fee', 'discount', 'policy', 'purchase'],
  account: ['password', 'login', 'log', 'account', 'reset', 'email', 'sign', 'security', 'user', 'username', 'forgot', 'locked', 'verify', 'code', 'profile', 'two', 'factor'],
  weather: ['rain', 'sun', 'sunny', 'weather', 'cloud', 'cloudy', 'storm', 'wind', 'snow', 'cold', 'warm', 'forecast', 'today', 'tomorrow', 'umbrella'],
  animals: ['cat', 'dog', 'pet', 'kitten', 'puppy', 'animal', 'bird', 'fish', 'mat', 'sat', 'bark', 'fur', 'vet'],
  shipping: ['order', 'delivery', 'deliver', 'ship', 'shipping', 'package', 'parcel', 'track', 'arrive', 'address', 'late', 'courier', 'where'],
};

/** Frequent words that carry little meaning: small embeddings, so topic words dominate the mean. */
const FUNCTION_WORDS = ['the', 'a', 'an', 'is', 'are', 'my', 'i', 'can', 'how', 'do', 'does', 'get', 'for', 'of', 'to', 'on', 'in', 'what', 'with', 'and', 'you', 'it', 'was', 'your', 'me', 'back', 'will', 'when', 'why', 'please', 'not', 'this', 'that', 'be', 'have', 'at', 'by', 'from', 'or', 'our', 'we', 'up', 'out', '?', '!', '.', ',', "'"];
const SUFFIXES = ['##s', '##es', '##ed', '##ing', '##ly', '##er'];
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export interface TinyEmbeddingModelOptions {
  /** Width of the embeddings and of `last_hidden_state`. @defaultValue 32 */
  hiddenSize?: number;
  /** Seed of the weights: the same seed writes byte-identical files. @defaultValue 7 */
  seed?: number;
  /**
   * Also write the same graph as `onnx/model_quantized.onnx`, the file `@xenova/transformers` and
   * `dtype: 'q8'` load. It is not quantized. Off by default, so a test proves its loader picks
   * `model.onnx`. @defaultValue false
   */
  quantizedCopy?: boolean;
}

/** What was written. */
export interface TinyEmbeddingModel {
  folder: string;
  hiddenSize: number;
  /** Token strings by id. */
  vocabulary: readonly string[];
}

/** Writes the tiny model into `folder` (created when missing) and answers what it wrote. */
export async function writeTinyEmbeddingModel(folder: string, options: TinyEmbeddingModelOptions = {}): Promise<TinyEmbeddingModel> {
  const hiddenSize = options.hiddenSize ?? 32;
  const random = gaussian(options.seed ?? 7);
  const { vocabulary, embeddings } = buildEmbeddings(hiddenSize, random);
  const graph = encodeGraph(hiddenSize, vocabulary.length, embeddings, random);

  await mkdir(join(folder, 'onnx'), { recursive: true });
  await writeFile(join(folder, 'config.json'), json(modelConfig(hiddenSize, vocabulary.length)));
  await writeFile(join(folder, 'tokenizer.json'), json(tokenizerDefinition(vocabulary)));
  await writeFile(join(folder, 'tokenizer_config.json'), json(tokenizerConfig()));
  await writeFile(join(folder, 'onnx', 'model.onnx'), graph);
  if (options.quantizedCopy) await writeFile(join(folder, 'onnx', 'model_quantized.onnx'), graph);
  return { folder, hiddenSize, vocabulary };
}

function buildEmbeddings(hiddenSize: number, random: () => number): { vocabulary: string[]; embeddings: number[] } {
  const vocabulary: string[] = [];
  const embeddings: number[] = [];
  const add = (token: string, vector: number[]) => {
    vocabulary.push(token);
    embeddings.push(...vector);
  };
  const noise = (scale: number) => scaled(unitVector(hiddenSize, random), scale);

  for (const token of SPECIAL_TOKENS) add(token, token === '[PAD]' ? new Array<number>(hiddenSize).fill(0) : noise(0.03));
  for (const words of Object.values(TINY_EMBEDDING_TOPICS)) {
    const centre = unitVector(hiddenSize, random);
    for (const word of words) add(word, sum(centre, noise(0.4)));
  }
  for (const word of FUNCTION_WORDS) add(word, noise(0.05));
  for (const suffix of SUFFIXES) add(suffix, noise(0.05));
  return { vocabulary, embeddings };
}

function encodeGraph(hiddenSize: number, vocabularySize: number, embeddings: number[], random: () => number): Uint8Array {
  // Gain 1.5 keeps tanh in its curved but unsaturated range for unit-length inputs.
  const dense = Array.from({ length: hiddenSize * hiddenSize }, () => (random() * 1.5) / Math.sqrt(hiddenSize));
  const bias = Array.from({ length: hiddenSize }, () => random() * 0.01);
  const tokenTypes = [...new Array<number>(hiddenSize).fill(0), ...scaled(unitVector(hiddenSize, random), 0.05)];
  const sequence = (type: OnnxSchema.TensorProto.DataType, last?: number): OnnxSchema.IValueInfoProto['type'] => ({
    tensorType: { elemType: type, shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, ...(last === undefined ? [] : [{ dimValue: last }])] } },
  });
  const input = (name: string) => ({ name, type: sequence(onnx.TensorProto.DataType.INT64) });

  const model: OnnxSchema.IModelProto = {
    irVersion: 8,
    producerName: 'ailb-testkit',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_bert',
      input: [input('input_ids'), input('attention_mask'), input('token_type_ids')],
      output: [{ name: 'last_hidden_state', type: sequence(onnx.TensorProto.DataType.FLOAT, hiddenSize) }],
      initializer: [
        floats('word_embeddings', [vocabularySize, hiddenSize], embeddings),
        floats('token_type_embeddings', [2, hiddenSize], tokenTypes),
        floats('dense_weight', [hiddenSize, hiddenSize], dense),
        floats('dense_bias', [hiddenSize], bias),
        { name: 'last_axis', dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [-1] },
      ],
      node: [
        node('Gather', ['word_embeddings', 'input_ids'], 'word_vectors', [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
        node('Gather', ['token_type_embeddings', 'token_type_ids'], 'type_vectors', [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
        node('Add', ['word_vectors', 'type_vectors'], 'embedded'),
        node('MatMul', ['embedded', 'dense_weight'], 'projected'),
        node('Add', ['projected', 'dense_bias'], 'biased'),
        node('Tanh', ['biased'], 'activated'),
        node('Cast', ['attention_mask'], 'mask_float', [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }]),
        // Opset 13 takes Unsqueeze's axes as an input, not an attribute.
        node('Unsqueeze', ['mask_float', 'last_axis'], 'mask_column'),
        // Padding positions output zeros, so a text's vector does not depend on what it is batched with.
        node('Mul', ['activated', 'mask_column'], 'last_hidden_state'),
      ],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

function node(opType: string, input: string[], output: string, attribute: OnnxSchema.IAttributeProto[] = []): OnnxSchema.INodeProto {
  return { opType, input, output: [output], name: `${output}_${opType.toLowerCase()}`, attribute };
}

function floats(name: string, dims: number[], values: number[]): OnnxSchema.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

function modelConfig(hiddenSize: number, vocabularySize: number) {
  return {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: hiddenSize,
    vocab_size: vocabularySize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hiddenSize,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    pad_token_id: 0,
  };
}

function tokenizerDefinition(vocabulary: readonly string[]) {
  const idOf = (token: string) => vocabulary.indexOf(token);
  const special = (token: string, typeId: number) => ({ SpecialToken: { id: token, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({ id: idOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [idOf(token)], tokens: [token] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])),
    },
  };
}

function tokenizerConfig() {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function unitVector(size: number, random: () => number): number[] {
  const vector = Array.from({ length: size }, () => random());
  const norm = Math.sqrt(vector.reduce((total, value) => total + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

const scaled = (vector: number[], factor: number) => vector.map((value) => value * factor);
const sum = (left: number[], right: number[]) => left.map((value, index) => value + right[index]!);

/** Standard normal numbers from a seeded mulberry32 stream (Box–Muller), so weights are reproducible. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (((mixed ^ (mixed >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
