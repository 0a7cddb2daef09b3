/**
 * One embedding model, whatever runs it. Vectors are unit length, so a dot product is the cosine
 * similarity, and a store can keep them in cosine space.
 */
export interface EmbeddingModel {
  /** The model as configured (`use-lite`, `transformers:<id>`, `openai:<model>`, `ollama:<model>`); a store records it. */
  readonly name: string;
  /** Texts per call the model handles well; callers split larger inputs. */
  readonly maxBatch: number;
  /** Loads the model (once; later calls share the first) and answers its vector length. */
  load(): Promise<{ dimensions: number }>;
  /**
   * Embeds texts, in order. `priority: 'query'` goes ahead of queued `'bulk'` work (a search waiting
   * behind an ingestion batch would miss its deadline). Loads the model first when needed.
   */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
  /** Frees the model (threads, sessions, connections). Idempotent. */
  close(): Promise<void>;
}

export interface EmbedOptions {
  /** @defaultValue 'bulk' */
  priority?: 'query' | 'bulk';
  signal?: AbortSignal;
}

/** The vector scaled to unit length (a zero vector stays zero). */
export function normalise(vector: ArrayLike<number>): number[] {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  const norm = Math.sqrt(sum);
  return Array.from(vector, (value) => (norm === 0 ? 0 : value / norm));
}
