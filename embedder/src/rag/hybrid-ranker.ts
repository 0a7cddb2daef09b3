import type { LexicalHit } from './lexical-index.js';
import { chunkIdOfPassage } from './passages.js';

/** A vector-store match: cosine similarity of the query and one stored vector, in [−1, 1]. */
export interface DenseHit {
  id: string;
  similarity: number;
}

/** What the dense and the lexical search found at one granularity (chunks, or passages). */
export interface LevelEvidence {
  /**
   * Cosine similarities from the vector store (Chroma cosine space: `1 − distance`). An id missing
   * here counts as similarity 0, so give the similarity of every lexical hit too when it is at hand.
   */
  dense: readonly DenseHit[];
  /** BM25 hits from the {@link LexicalIndex} of this level. */
  lexical: readonly LexicalHit[];
  /** `LexicalIndex.scoreBound(query)` of that index: what normalises the BM25 scores into [0, 1). */
  lexicalBound: number;
}

/** Everything known about a query's candidates. */
export interface HybridEvidence {
  chunks: LevelEvidence;
  /** Evidence about the chunks' passages (see `splitIntoPassages`); without it chunks are scored alone. */
  passages?: LevelEvidence & {
    /** The chunk of a passage. @defaultValue {@link chunkIdOfPassage} */
    chunkOf?: (passageId: string) => string;
  };
}

/** How the signals are mixed; each weight is in [0, 1]. */
export interface HybridWeights {
  /** Share of the cosine in a level's score; the rest is the normalised BM25 score. @defaultValue 0.5 */
  dense?: number;
  /** Share of the best passage's score in a chunk's score; the rest is the chunk's own. @defaultValue 0.5 */
  passage?: number;
}

/** The default weights, tuned on the dev questions only (the held-out ones never saw them change). */
export const DEFAULT_WEIGHTS: Required<HybridWeights> = { dense: 0.5, passage: 0.5 };

/** One level's part of a score. */
export interface LevelScore {
  /** The cosine similarity as given (−1…1), 0 when the vector store did not return this id. */
  similarity: number;
  /** BM25 score ÷ the query's bound, in [0, 1); 0 when no query term matched. */
  lexical: number;
  /** `dense · clamp(similarity, 0, 1) + (1 − dense) · lexical`, in [0, 1]. */
  score: number;
}

/** A chunk in the final order, with the parts of its score (for logs and explanations). */
export interface RankedChunk {
  id: string;
  documentId: string;
  /** The relevance score in [0, 1] by which results are ordered; see {@link rankHybrid}. */
  score: number;
  /** The chunk's own level. */
  chunk: LevelScore;
  /** Its best passage, when passage evidence was given and one of its passages was found. */
  passage?: LevelScore & { id: string };
}

export interface RankOptions {
  weights?: HybridWeights;
  /** Results to return at most. @defaultValue all candidates */
  limit?: number;
  /** The document of a chunk id. @defaultValue the part before the last `:` (ids from `chunkDocument`) */
  documentOf?: (chunkId: string) => string;
}

/**
 * Fuses dense and lexical evidence into one ranking of chunks, best first.
 *
 * **The score.** Each level (the chunk, and its best passage) gets
 * `levelScore = w · max(0, cosine) + (1 − w) · BM25 / bound`, where `bound` is the highest BM25 score
 * the query could reach in that level's index (its matching terms' idf × (k1 + 1)), so both parts lie
 * in [0, 1]. A chunk's score is `a · levelScore(best passage) + (1 − a) · levelScore(chunk)`, the best
 * passage being the one with the highest levelScore. With the default weights (w = a = 0.5) it is the
 * mean of four numbers in [0, 1]: the cosine similarity of the query with the chunk and with its best
 * passage (negative cosines count as 0), and the share of the query's idf-weighted terms each contains
 * (saturated by term frequency). It is therefore a cosine-based similarity in [0, 1]: 1 only for a
 * chunk whose vectors point exactly along the query's and that contains every query term many times,
 * 0 for one orthogonal to the query that shares no term with it. It is absolute (it does not depend on
 * the other candidates), so `score_threshold` means the same for every query; the order of the results
 * is the order of their scores (ties by id), and the same evidence always gives the same ranking.
 */
export function rankHybrid(evidence: HybridEvidence, options: RankOptions = {}): RankedChunk[] {
  const dense = weight(options.weights?.dense ?? DEFAULT_WEIGHTS.dense, 'dense');
  const passageShare = evidence.passages ? weight(options.weights?.passage ?? DEFAULT_WEIGHTS.passage, 'passage') : 0;
  const documentOf = options.documentOf ?? documentIdOfChunk;

  const chunkScores = levelScores(evidence.chunks, dense);
  const bestPassages = new Map<string, LevelScore & { id: string }>();
  if (evidence.passages) {
    const chunkOf = evidence.passages.chunkOf ?? chunkIdOfPassage;
    for (const [id, score] of levelScores(evidence.passages, dense)) {
      const chunkId = chunkOf(id);
      const best = bestPassages.get(chunkId);
      if (!best || score.score > best.score || (score.score === best.score && id < best.id)) bestPassages.set(chunkId, { id, ...score });
    }
  }

  const ranked: RankedChunk[] = [];
  for (const id of new Set([...chunkScores.keys(), ...bestPassages.keys()])) {
    const chunk = chunkScores.get(id) ?? { similarity: 0, lexical: 0, score: 0 };
    const passage = bestPassages.get(id);
    const score = clampUnit(passageShare * (passage?.score ?? 0) + (1 - passageShare) * chunk.score);
    ranked.push(passage ? { id, documentId: documentOf(id), score, chunk, passage } : { id, documentId: documentOf(id), score, chunk });
  }
  ranked.sort((left, right) => right.score - left.score || compareIds(left.id, right.id));
  return options.limit === undefined ? ranked : ranked.slice(0, Math.max(0, options.limit));
}

/** A document in a ranking: its best chunk's score. */
export interface RankedDocument {
  documentId: string;
  score: number;
  /** The chunk that gave the document its score. */
  chunkId: string;
}

/** Documents in the order of their best chunk in a ranking from {@link rankHybrid}. */
export function rankDocuments(ranked: readonly RankedChunk[]): RankedDocument[] {
  const documents = new Map<string, RankedDocument>();
  for (const chunk of ranked) {
    if (!documents.has(chunk.documentId)) documents.set(chunk.documentId, { documentId: chunk.documentId, score: chunk.score, chunkId: chunk.id });
  }
  return [...documents.values()];
}

/** The document part of a chunk id `${documentId}:${index}`. */
export function documentIdOfChunk(chunkId: string): string {
  const separator = chunkId.lastIndexOf(':');
  return separator === -1 ? chunkId : chunkId.slice(0, separator);
}

function levelScores(level: LevelEvidence, dense: number): Map<string, LevelScore> {
  const similarities = new Map<string, number>();
  for (const hit of level.dense) similarities.set(hit.id, Number.isFinite(hit.similarity) ? hit.similarity : 0);
  const lexical = new Map<string, number>();
  if (level.lexicalBound > 0) for (const hit of level.lexical) lexical.set(hit.id, clampUnit(hit.score / level.lexicalBound));
  const scores = new Map<string, LevelScore>();
  for (const id of new Set([...similarities.keys(), ...lexical.keys()])) {
    const similarity = similarities.get(id) ?? 0;
    const lexicalScore = lexical.get(id) ?? 0;
    scores.set(id, { similarity, lexical: lexicalScore, score: clampUnit(dense * clampUnit(similarity) + (1 - dense) * lexicalScore) });
  }
  return scores;
}

function weight(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`the ${name} weight must be between 0 and 1, got ${value}`);
  return value;
}

function clampUnit(value: number): number {
  return Number.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
}

function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
