import { GatewayError, matchesFilter, type AttributeFilter, type SearchHit, type SearchRequest } from '@ailb/shared';
import type { EmbeddingModel } from '../embedding/embedding-model.js';
import type { ChunkStore, StoredRecord } from '../store/chunk-store.js';
import type { KnowledgeCatalog, StoreRecord } from '../store/knowledge-catalog.js';
import { indexedText } from './chunker.js';
import { rankHybrid, type DenseHit, type LevelEvidence } from './hybrid-ranker.js';
import { LexicalIndex, type LexicalHit } from './lexical-index.js';

/** Candidates each list contributes (dense and lexical, chunks and passages). */
const CHUNK_CANDIDATES = 50;
const PASSAGE_CANDIDATES = 100;
/** Stores whose lexical indexes are kept in memory at once (least recently used go first). */
const CACHED_STORES = 32;

/** A store's lexical indexes, built from its records in Chroma at one revision. */
interface StoreIndexes {
  revision: string;
  records: Map<string, StoredRecord>;
  chunks: LexicalIndex;
  passages: LexicalIndex;
  /** chunk id → its passages' ids */
  passagesOf: Map<string, string[]>;
}

const dot = (left: readonly number[], right: readonly number[]) => left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);

/**
 * Hybrid search of one vector store: dense candidates from Chroma (chunks and their ~two-sentence
 * passages) and BM25 candidates from lexical indexes over the same records, every candidate scored on
 * both signals, fused by {@link rankHybrid}. The lexical indexes are derived state: rebuilt from Chroma
 * whenever the store's revision changed, so every replica answers the same and nothing lives only in
 * one process.
 */
export class Retriever {
  private readonly cache = new Map<string, StoreIndexes>();

  constructor(
    private readonly catalog: KnowledgeCatalog,
    private readonly chunks: ChunkStore,
    private readonly model: EmbeddingModel,
  ) {}

  /** Refuses a store built with another embedding model: its vectors do not compare with this model's. */
  checkModel(store: StoreRecord): void {
    if (store.embeddingModel !== this.model.name) {
      throw new GatewayError(
        'embedding_model_mismatch',
        `Vector store ${store.id} was built with the embedding model ${store.embeddingModel}; this embedder runs ${this.model.name}. Search it with an embedder running ${store.embeddingModel}, or rebuild it.`,
      );
    }
  }

  /**
   * The best chunks for the request's queries, best first, each with its score in [0, 1] (see
   * `rankHybrid`); several queries keep each chunk's best score. `vectors` reuses query embeddings
   * already computed (by query text).
   */
  async search(tenant: string, store: StoreRecord, request: SearchRequest, vectors: ReadonlyMap<string, number[]> = new Map()): Promise<SearchHit[]> {
    this.checkModel(store);
    const indexes = await this.indexes(tenant, store.id);
    if (indexes.records.size === 0) return [];
    const missing = request.queries.filter((query) => !vectors.has(query));
    const embedded = missing.length > 0 ? await this.model.embed(missing, { priority: 'query' }) : [];
    const vectorOf = new Map([...vectors, ...missing.map((query, index) => [query, embedded[index]!] as const)]);

    const best = new Map<string, number>();
    for (const query of request.queries) {
      for (const ranked of await this.rank(tenant, store.id, indexes, query, vectorOf.get(query)!, request.filter)) {
        if ((best.get(ranked.id) ?? -1) < ranked.score) best.set(ranked.id, ranked.score);
      }
    }
    const threshold = request.scoreThreshold ?? 0;
    return [...best]
      .filter(([, score]) => score >= threshold)
      .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
      .slice(0, request.maxResults)
      .map(([id, score]) => {
        const record = indexes.records.get(id)!;
        return { fileId: record.fileId, filename: record.filename, score, attributes: record.attributes, text: record.text };
      });
  }

  private async rank(tenant: string, storeId: string, indexes: StoreIndexes, query: string, vector: number[], filter: AttributeFilter | undefined) {
    const accepted = (id: string) => {
      const record = indexes.records.get(id);
      return record !== undefined && (!filter || matchesFilter(filter, record.attributes));
    };
    const [denseChunks, densePassages] = await Promise.all([
      this.chunks.nearest(tenant, storeId, 'chunk', vector, CHUNK_CANDIDATES, filter),
      this.chunks.nearest(tenant, storeId, 'passage', vector, PASSAGE_CANDIDATES, filter),
    ]);
    const lexicalChunks = indexes.chunks.search(query, { limit: CHUNK_CANDIDATES, filter: accepted });
    const lexicalPassages = indexes.passages.search(query, { limit: PASSAGE_CANDIDATES, filter: accepted });

    // Every chunk any list found, and all of their passages, scored on both signals.
    const chunkOf = (passageId: string) => indexes.records.get(passageId)?.chunkId ?? passageId;
    const candidateChunks = new Set([...denseChunks.map((hit) => hit.id), ...lexicalChunks.map((hit) => hit.id), ...densePassages.map((hit) => chunkOf(hit.id)), ...lexicalPassages.map((hit) => chunkOf(hit.id))].filter(accepted));
    const candidatePassages = new Set([...candidateChunks].flatMap((id) => indexes.passagesOf.get(id) ?? []));
    const similarity = new Map<string, number>([...denseChunks, ...densePassages].map((hit) => [hit.id, hit.similarity]));
    const unscored = [...candidateChunks, ...candidatePassages].filter((id) => !similarity.has(id));
    for (const [id, stored] of await this.chunks.vectors(tenant, storeId, unscored)) similarity.set(id, dot(vector, stored));

    const level = (ids: Set<string>, index: LexicalIndex): LevelEvidence => {
      const dense: DenseHit[] = [...ids].map((id) => ({ id, similarity: similarity.get(id) ?? 0 }));
      const lexical: LexicalHit[] = index.search(query, { limit: ids.size, filter: (id) => ids.has(id) });
      return { dense, lexical, lexicalBound: index.scoreBound(query) };
    };
    return rankHybrid({ chunks: level(candidateChunks, indexes.chunks), passages: { ...level(candidatePassages, indexes.passages), chunkOf } });
  }

  /** The store's lexical indexes at its current revision (rebuilt from Chroma when it changed). */
  private async indexes(tenant: string, storeId: string): Promise<StoreIndexes> {
    const key = `${tenant}\u0000${storeId}`;
    // The revision is read before the records: a change in between only makes the next search rebuild.
    const revision = await this.catalog.revision(tenant, storeId);
    const cached = this.cache.get(key);
    if (cached && cached.revision === revision) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const all = await this.chunks.all(tenant, storeId);
    const records = new Map(all.map((record) => [record.id, record]));
    const passagesOf = new Map<string, string[]>();
    for (const record of all) if (record.kind === 'passage') passagesOf.set(record.chunkId, [...(passagesOf.get(record.chunkId) ?? []), record.id]);
    const built: StoreIndexes = {
      revision,
      records,
      chunks: LexicalIndex.build(all.filter((record) => record.kind === 'chunk').map((record) => ({ id: record.id, text: indexedText(record) }))),
      passages: LexicalIndex.build(all.filter((record) => record.kind === 'passage').map((record) => ({ id: record.id, text: record.text }))),
      passagesOf,
    };
    this.cache.set(key, built);
    if (this.cache.size > CACHED_STORES) this.cache.delete(this.cache.keys().next().value!);
    return built;
  }

  /** Forgets a store's indexes (it was deleted). */
  forget(tenant: string, storeId: string): void {
    this.cache.delete(`${tenant}\u0000${storeId}`);
  }
}
