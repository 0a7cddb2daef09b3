import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './children.js';

/*
 * The knowledge section's corpus: the embedder's QA fixture (29 short Markdown articles of a fictional
 * product and its held-out paraphrased questions). How many chunks, passages and embedded texts one
 * copy of it makes is computed with the embedder's own built chunker (embedder/dist), the code
 * ingestion runs, so chunks/s and texts/s need no access to AILB's internals.
 */

const FIXTURE = join(REPO_ROOT, 'embedder/test/fixtures/knowledge-base');

export interface Article {
  /** The file name, e.g. `refund-policy.md`. */
  name: string;
  /** The name without `.md`: what a question's `documentId` names. */
  documentId: string;
  bytes: Buffer;
}

export interface Question {
  question: string;
  documentId: string;
}

export interface Corpus {
  articles: Article[];
  questions: Question[];
  /** What one copy of the corpus becomes when ingested with the `auto` chunking strategy. */
  perCopy: { files: number; bytes: number; chunks: number; passages: number; embeddedTexts: number };
}

/** The parts of embedder/dist/rag the corpus needs (typed here: the bench does not depend on the embedder's types). */
interface ChunkerModule {
  chunkDocument(source: { documentId: string; text: string }): Array<{ id: string; documentId: string; text: string; context: string; startOffset: number; endOffset: number }>;
  indexedText(chunk: { text: string; context: string }): string;
}
interface PassagesModule {
  splitIntoPassages(source: { documentId: string; text: string }, chunk: { id: string; documentId: string; startOffset: number; endOffset: number }): Array<{ text: string }>;
}

const builtModule = <T>(path: string) => import(pathToFileURL(join(REPO_ROOT, path)).href) as Promise<T>;

/**
 * Loads the articles and questions and counts, per copy, what ingestion makes of them: chunks (the
 * `auto` strategy, as a store created without `chunking_strategy`), ~40-token passages of each chunk,
 * and the distinct texts embedded (a chunk's context line and text, and each passage; ingestion embeds
 * each distinct text of a file once).
 */
export async function loadCorpus(): Promise<Corpus> {
  const chunker = await builtModule<ChunkerModule>('embedder/dist/rag/chunker.js');
  const passagesModule = await builtModule<PassagesModule>('embedder/dist/rag/passages.js');
  const names = readdirSync(FIXTURE)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const articles = names.map((name) => ({ name, documentId: name.slice(0, -'.md'.length), bytes: readFileSync(join(FIXTURE, name)) }));
  const perCopy = { files: articles.length, bytes: 0, chunks: 0, passages: 0, embeddedTexts: 0 };
  for (const article of articles) {
    // The file's text as ingestion reads a Markdown file: UTF-8, without a byte-order mark.
    const source = { documentId: 'file-bench', text: article.bytes.toString('utf8').replace(/^\uFEFF/, '') };
    const chunks = chunker.chunkDocument(source);
    const passages = chunks.flatMap((chunk) => passagesModule.splitIntoPassages(source, chunk));
    perCopy.bytes += article.bytes.length;
    perCopy.chunks += chunks.length;
    perCopy.passages += passages.length;
    perCopy.embeddedTexts += new Set([...chunks.map((chunk) => chunker.indexedText(chunk)), ...passages.map((passage) => passage.text)]).size;
  }
  const questions = JSON.parse(readFileSync(join(FIXTURE, 'questions/held-out.json'), 'utf8')) as Question[];
  return { articles, questions, perCopy };
}

/** The file name of copy `copy` of an article: distinct per copy, and still starting with its document id. */
export const copyName = (article: Article, copy: number) => (copy === 0 ? article.name : `${article.documentId}--copy${copy + 1}.md`);
