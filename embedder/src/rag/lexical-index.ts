import { analyse } from './lexical-terms.js';

/** A passage to index: for chunks, `{ id: chunk.id, text: indexedText(chunk) }`. */
export interface LexicalDocument {
  id: string;
  text: string;
}

/** One match: its raw BM25 score (> 0, unbounded; see {@link LexicalIndex.scoreBound}). */
export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalSearchOptions {
  /** Hits to return at most. */
  limit: number;
  /** Keeps only the ids it accepts (attribute filters, one file…); applied before `limit`. */
  filter?: (id: string) => boolean;
}

/** BM25 parameters. */
export interface LexicalIndexOptions {
  /** Term-frequency saturation. @defaultValue 1.2 */
  k1?: number;
  /** Length normalisation (0 = none, 1 = full). @defaultValue 0.75 */
  b?: number;
}

/**
 * An in-memory BM25 index over passages (Okapi BM25 with Lucene's non-negative idf,
 * `ln(1 + (N − df + 0.5) / (df + 0.5))`).
 *
 * It is derived state: build it from the chunks of a store (they live in Chroma) and it answers the
 * same on every replica. Scores depend only on the set of passages, never on the order they were
 * added or removed in (statistics are integer counts; a score is summed in query-term order), and ties
 * are broken by id, so two indexes over the same passages give identical results.
 */
export class LexicalIndex {
  private readonly k1: number;
  private readonly b: number;
  /** term → (id → term frequency) */
  private readonly postings = new Map<string, Map<string, number>>();
  /** id → its terms with frequencies (to remove it again) and its length in terms */
  private readonly documents = new Map<string, { terms: Map<string, number>; length: number }>();
  private totalLength = 0;

  constructor(options: LexicalIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  /** An index over these passages. */
  static build(documents: Iterable<LexicalDocument>, options?: LexicalIndexOptions): LexicalIndex {
    const index = new LexicalIndex(options);
    index.add(documents);
    return index;
  }

  /** Passages indexed. */
  get size(): number {
    return this.documents.size;
  }

  has(id: string): boolean {
    return this.documents.has(id);
  }

  /** Adds passages; a passage whose id is already indexed is replaced. */
  add(documents: Iterable<LexicalDocument>): void {
    for (const document of documents) {
      this.remove([document.id]);
      const terms = new Map<string, number>();
      const analysed = analyse(document.text);
      for (const term of analysed) terms.set(term, (terms.get(term) ?? 0) + 1);
      for (const [term, frequency] of terms) {
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = new Map()));
        posting.set(document.id, frequency);
      }
      this.documents.set(document.id, { terms, length: analysed.length });
      this.totalLength += analysed.length;
    }
  }

  /** Removes passages by id (unknown ids are ignored). */
  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const document = this.documents.get(id);
      if (!document) continue;
      for (const term of document.terms.keys()) {
        const posting = this.postings.get(term)!;
        posting.delete(id);
        if (posting.size === 0) this.postings.delete(term);
      }
      this.documents.delete(id);
      this.totalLength -= document.length;
    }
  }

  /** The best matches for a query, highest score first, ties by id; passages matching no term are left out. */
  search(query: string, options: LexicalSearchOptions): LexicalHit[] {
    const terms = this.queryTerms(query);
    if (terms.length === 0 || options.limit <= 0) return [];
    const averageLength = this.totalLength / this.documents.size;
    const scores = new Map<string, number>();
    for (const term of terms) {
      const posting = this.postings.get(term)!;
      const idf = this.idf(posting.size);
      for (const [id, frequency] of posting) {
        if (options.filter && !options.filter(id)) continue;
        const length = this.documents.get(id)!.length;
        const saturation = (frequency * (this.k1 + 1)) / (frequency + this.k1 * (1 - this.b + (this.b * length) / averageLength));
        scores.set(id, (scores.get(id) ?? 0) + idf * saturation);
      }
    }
    return [...scores]
      .map(([id, score]) => ({ id, score }))
      .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
      .slice(0, options.limit);
  }

  /**
   * An upper bound of any passage's score for this query, `Σ idf(t) · (k1 + 1)` over its distinct
   * terms that occur in the index, or 0 when none does. `score / scoreBound` is in [0, 1): the share
   * of the query's (idf-weighted) vocabulary a passage matches, saturated by term frequency.
   */
  scoreBound(query: string): number {
    let bound = 0;
    for (const term of this.queryTerms(query)) bound += this.idf(this.postings.get(term)!.size) * (this.k1 + 1);
    return bound;
  }

  /** The query's distinct terms that occur in the index, in query order (the summation order). */
  private queryTerms(query: string): string[] {
    return [...new Set(analyse(query))].filter((term) => this.postings.has(term));
  }

  private idf(documentFrequency: number): number {
    return Math.log(1 + (this.documents.size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }
}
