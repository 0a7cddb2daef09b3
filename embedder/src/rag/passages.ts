import { chunkDocument, indexedText, type Chunk, type ChunkingLimits, type ChunkSource } from './chunker.js';

/**
 * Passages of about two sentences, no overlap. Measured on the dev questions (see
 * `embedder/test/retrieval-quality.test.ts`): a 512-dimension sentence encoder represents a sentence
 * well and an 800-token chunk poorly, and BM25 over short passages is less swayed by a word that the
 * chunk repeats elsewhere; 32 to 50 tokens all did about as well, and overlap added nothing.
 */
export const PASSAGE_LIMITS: ChunkingLimits = { maxTokens: 40, overlapTokens: 0 };

/**
 * A short piece of one chunk, embedded and indexed on its own so that a chunk can be found by its
 * best sentence. Passages are a retrieval aid: search results are always whole chunks.
 */
export interface Passage {
  /** `${chunkId}#${index}`. */
  id: string;
  chunkId: string;
  documentId: string;
  /** Position in the chunk, from 0. */
  index: number;
  /** The section headings above the passage, then the passage: what to embed and to index. */
  text: string;
}

/** The chunk a passage id belongs to (the part before its last `#`). */
export function chunkIdOfPassage(passageId: string): string {
  const separator = passageId.lastIndexOf('#');
  return separator === -1 ? passageId : passageId.slice(0, separator);
}

/**
 * Cuts one chunk of a document into passages with the chunker's own rules (sentence and section
 * boundaries, at most `limits.maxTokens` tokens of passage text), each preceded by the headings it sits
 * under in the whole document. Deterministic: a stored chunk's passages can be recomputed from its
 * document. The document must be the one the chunk was cut from (its offsets index into it).
 */
export function splitIntoPassages(
  source: ChunkSource,
  chunk: Pick<Chunk, 'id' | 'documentId' | 'startOffset' | 'endOffset'>,
  limits: ChunkingLimits = PASSAGE_LIMITS,
): Passage[] {
  const pieces = chunkDocument(source, limits, { start: chunk.startOffset, end: chunk.endOffset });
  return pieces.map((piece) => ({
    id: `${chunk.id}#${piece.index}`,
    chunkId: chunk.id,
    documentId: chunk.documentId,
    index: piece.index,
    text: indexedText(piece),
  }));
}
