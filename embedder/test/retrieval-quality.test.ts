import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UseLiteModel } from '../src/embedding/use-lite-model.js';
import { chunkDocument, indexedText, type Chunk, type ChunkSource } from '../src/rag/chunker.js';
import { rankDocuments, rankHybrid, type DenseHit, type LevelEvidence } from '../src/rag/hybrid-ranker.js';
import { LexicalIndex } from '../src/rag/lexical-index.js';
import { splitIntoPassages, type Passage } from '../src/rag/passages.js';

/*
 * Retrieval quality on a fictional product's help center (test/fixtures/knowledge-base): 29 short
 * Markdown articles, some deliberately close to each other (refunds / cancelling / deleting; API tokens
 * / rate limits; members / guests), and questions that paraphrase them. The dev questions were used to
 * choose the method and its weights; the held-out ones were written before any tuning and are only
 * measured. Targets (issue 7): recall@3 ≥ 0.95 and recall@1 ≥ 0.80 on the held-out questions.
 *
 * Chunks use OpenAI's `auto` strategy (800/400 tokens), as a vector store without a chunking strategy
 * would. The final method searches the way the embedder does: dense top-N from the vector store and
 * BM25 top-N, for chunks and for their passages, candidates' cosines filled in, fused by rankHybrid.
 */

const FIXTURES = new URL('./fixtures/knowledge-base/', import.meta.url);
/** Candidates per list, as the vector-store query and the lexical search would return them. */
const CANDIDATES = 40;

interface Question {
  question: string;
  documentId: string;
}

interface Recall {
  at1: number;
  at3: number;
}

const documents: ChunkSource[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({ documentId: name.slice(0, -'.md'.length), text: readFileSync(new URL(name, FIXTURES), 'utf8') }));
const questionSets: Record<'dev' | 'held-out', Question[]> = {
  dev: JSON.parse(readFileSync(new URL('questions/dev.json', FIXTURES), 'utf8')) as Question[],
  'held-out': JSON.parse(readFileSync(new URL('questions/held-out.json', FIXTURES), 'utf8')) as Question[],
};

const dot = (left: readonly number[], right: readonly number[]): number => left.reduce((sum, value, index) => sum + value * right[index]!, 0);

function recallOf(rankings: ReadonlyArray<readonly string[]>, questions: readonly Question[]): Recall {
  let at1 = 0;
  let at3 = 0;
  rankings.forEach((ranking, index) => {
    const position = ranking.indexOf(questions[index]!.documentId);
    if (position === 0) at1++;
    if (position >= 0 && position < 3) at3++;
  });
  return { at1: at1 / questions.length, at3: at3 / questions.length };
}

/** The vector store's top-N by cosine plus BM25's top-N, every candidate with its cosine (as the embedder fetches them). */
function evidence(ids: readonly string[], vectors: readonly number[][], query: readonly number[], index: LexicalIndex, question: string): LevelEvidence {
  const similarities = new Map(ids.map((id, position) => [id, dot(query, vectors[position]!)]));
  const denseTop = [...similarities].sort((left, right) => right[1] - left[1]).slice(0, CANDIDATES);
  const lexical = index.search(question, { limit: CANDIDATES });
  const candidates = new Set([...denseTop.map(([id]) => id), ...lexical.map((hit) => hit.id)]);
  const dense: DenseHit[] = [...candidates].map((id) => ({ id, similarity: similarities.get(id)! }));
  return { dense, lexical, lexicalBound: index.scoreBound(question) };
}

describe('retrieval quality on the Quillpad help center', () => {
  const model = new UseLiteModel(8);
  let chunks: Chunk[] = [];
  let passages: Passage[] = [];
  let chunkVectors: number[][] = [];
  let passageVectors: number[][] = [];
  const questionVectors = new Map<string, number[]>();
  let chunkIndex: LexicalIndex;
  let passageIndex: LexicalIndex;

  beforeAll(async () => {
    chunks = documents.flatMap((document) => chunkDocument(document));
    const byId = new Map(documents.map((document) => [document.documentId, document]));
    passages = chunks.flatMap((chunk) => splitIntoPassages(byId.get(chunk.documentId)!, chunk));
    const questions = [...questionSets.dev, ...questionSets['held-out']].map((entry) => entry.question);
    const texts = [...chunks.map(indexedText), ...passages.map((passage) => passage.text), ...questions];
    const started = performance.now();
    const vectors = await model.embed(texts);
    const elapsed = Math.round(performance.now() - started);
    console.log(`embedded ${texts.length} texts (${chunks.length} chunks, ${passages.length} passages, ${questions.length} questions) in ${elapsed} ms`);
    chunkVectors = vectors.slice(0, chunks.length);
    passageVectors = vectors.slice(chunks.length, chunks.length + passages.length);
    questions.forEach((question, index) => questionVectors.set(question, vectors[chunks.length + passages.length + index]!));
    chunkIndex = LexicalIndex.build(chunks.map((chunk) => ({ id: chunk.id, text: indexedText(chunk) })));
    passageIndex = LexicalIndex.build(passages.map((passage) => ({ id: passage.id, text: passage.text })));
  }, 240_000);

  afterAll(() => model.close());

  /** Dense only: cosine over chunks, documents by their best chunk (what one vector per chunk gives). */
  function denseRanking(question: string): string[] {
    const query = questionVectors.get(question)!;
    const best = new Map<string, number>();
    chunks.forEach((chunk, position) => {
      const similarity = dot(query, chunkVectors[position]!);
      if (!best.has(chunk.documentId) || similarity > best.get(chunk.documentId)!) best.set(chunk.documentId, similarity);
    });
    return [...best].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1)).map(([documentId]) => documentId);
  }

  function hybridRanking(question: string): ReturnType<typeof rankDocuments> {
    const query = questionVectors.get(question)!;
    const ranked = rankHybrid({
      chunks: evidence(chunks.map((chunk) => chunk.id), chunkVectors, query, chunkIndex, question),
      passages: evidence(passages.map((passage) => passage.id), passageVectors, query, passageIndex, question),
    });
    // The contract the API relies on: scores in [0, 1], never increasing down the list.
    ranked.forEach((chunk, position) => {
      expect(chunk.score).toBeGreaterThanOrEqual(0);
      expect(chunk.score).toBeLessThanOrEqual(1);
      if (position > 0) expect(chunk.score).toBeLessThanOrEqual(ranked[position - 1]!.score);
    });
    return rankDocuments(ranked);
  }

  it('beats dense-only search and reaches the targets on the held-out questions', () => {
    const results: Record<string, { dense: Recall; hybrid: Recall; questions: number }> = {};
    const topScores: number[] = [];
    const misses: string[] = [];
    for (const [name, questions] of Object.entries(questionSets)) {
      const hybrid = questions.map((entry) => hybridRanking(entry.question));
      hybrid.forEach((ranking, index) => {
        const expected = questions[index]!;
        if (ranking[0]?.documentId === expected.documentId) topScores.push(ranking[0].score);
        else if (name === 'held-out') {
          const top = ranking.slice(0, 3).map((document) => `${document.documentId} ${document.score.toFixed(3)}`);
          misses.push(`  "${expected.question}" → ${expected.documentId}; got ${top.join(', ')}`);
        }
      });
      results[name] = {
        questions: questions.length,
        dense: recallOf(questions.map((entry) => denseRanking(entry.question)), questions),
        hybrid: recallOf(hybrid.map((ranking) => ranking.map((document) => document.documentId)), questions),
      };
    }
    const row = (set: string, questions: number, method: string, recall: Recall) => ({
      set,
      questions,
      method,
      'recall@1': recall.at1.toFixed(3),
      'recall@3': recall.at3.toFixed(3),
    });
    const rows = Object.entries(results).flatMap(([name, result]) => [
      row(name, result.questions, 'dense only (chunks)', result.dense),
      row(name, result.questions, 'hybrid (final)', result.hybrid),
    ]);
    console.table(rows);
    topScores.sort((left, right) => left - right);
    const quantile = (share: number) => topScores[Math.min(topScores.length - 1, Math.floor(share * topScores.length))]?.toFixed(3);
    console.log(`score of correct top-1 answers: min ${quantile(0)}, median ${quantile(0.5)}, max ${quantile(1)}`);

    // Diagnostics only: the held-out questions are never edited to fit the method.
    console.log(`held-out questions whose answer is not first:\n${misses.join('\n')}`);

    const heldOut = results['held-out']!;
    expect(heldOut.hybrid.at1).toBeGreaterThan(heldOut.dense.at1);
    expect(heldOut.hybrid.at3).toBeGreaterThanOrEqual(0.95);
    expect(heldOut.hybrid.at1).toBeGreaterThanOrEqual(0.8);
  });
});
