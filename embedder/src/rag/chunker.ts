import { AUTO_CHUNKING as SHARED_AUTO_CHUNKING } from '@ailb/shared';
import { countTokens as countWithSpecials } from 'gpt-tokenizer/encoding/cl100k_base';
import { Boundary, splitIntoUnits, type TextUnit } from './text-units.js';

/** Token budget of a chunk and of the overlap between consecutive chunks of one document. */
export interface ChunkingLimits {
  maxTokens: number;
  overlapTokens: number;
}

/** The `auto` strategy (shared's AUTO_CHUNKING): 800-token chunks overlapping by 400 tokens. */
export const AUTO_CHUNKING: ChunkingLimits = { maxTokens: SHARED_AUTO_CHUNKING.maxChunkTokens, overlapTokens: SHARED_AUTO_CHUNKING.overlapTokens };

/** One passage of a document, as stored in the vector store and in the lexical index. */
export interface Chunk {
  /** `${documentId}:${index}`: unique within a store, stable for the same text and limits. */
  id: string;
  documentId: string;
  /** Position in the document, from 0. */
  index: number;
  /** The passage, an exact slice of the source (trimmed): what search returns to clients. */
  text: string;
  /** Tokens of `text` (cl100k_base); never more than the strategy's maximum. */
  tokenCount: number;
  /** UTF-16 offsets of `text` in the source: `source.slice(startOffset, endOffset) === text`. */
  startOffset: number;
  endOffset: number;
  /**
   * The headings above the passage that it does not contain itself, outermost first, joined with
   * ` › ` (empty when none), preceded by the document title when one was given. Not part of `text`:
   * it is indexed with it ({@link indexedText}) so a passage deep in a section still matches questions
   * about the section's topic.
   */
  context: string;
}

/** A document to chunk. */
export interface ChunkSource {
  documentId: string;
  text: string;
  /** Put first in every chunk's context, e.g. a file name without its extension. */
  title?: string;
}

/** A chunk never ends before this share of the budget just to land on a better boundary. */
const MIN_FILL = 0.5;
/** The context is a hint, not content: it may not grow a chunk's indexed text by more than this. */
const MAX_CONTEXT_TOKENS = 48;

/**
 * Tokens of a text in cl100k_base, the encoding of OpenAI's embedding models (text-embedding-3-*,
 * ada-002), which is what OpenAI's `max_chunk_size_tokens` counts. Special-token strings such as
 * `<|endoftext|>` in a user's document are counted as plain text.
 */
export function countTokens(text: string): number {
  return countWithSpecials(text, { disallowedSpecial: new Set() });
}

/** The text to embed and to index lexically for a chunk: its context line, then its text. */
export function indexedText(chunk: Pick<Chunk, 'text' | 'context'>): string {
  return chunk.context === '' ? chunk.text : `${chunk.context}\n\n${chunk.text}`;
}

/** A span of a document in UTF-16 offsets, end exclusive (a chunk's `startOffset`/`endOffset`). */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * Cuts a document into chunks of at most `limits.maxTokens` tokens, consecutive chunks sharing up to
 * `limits.overlapTokens` tokens.
 *
 * A chunk ends at the strongest boundary available once it holds at least half the budget (section,
 * then paragraph, line, sentence), so passages stay whole when they fit. A sentence longer than the
 * budget is cut between words, a word longer than that between characters. The overlap starts at a
 * unit boundary: it is the longest run of whole sentences (or lines) at the end of the previous chunk
 * within `overlapTokens` and within half of that chunk, so a chunk cut short at a heading does not
 * produce near-duplicates. Deterministic: the same text and limits give the same chunks and ids.
 *
 * With `range`, only that span is cut (used to cut a chunk into passages), while headings are still
 * read from the whole document, so a passage knows its section even when the chunk starts inside it.
 */
export function chunkDocument(source: ChunkSource, limits: ChunkingLimits = AUTO_CHUNKING, range?: TextRange): Chunk[] {
  const { text, documentId } = source;
  const units = splitOversized(text, range ? unitsWithin(splitIntoUnits(text), range) : splitIntoUnits(text), limits.maxTokens);
  if (units.every((unit) => text.slice(unit.start, unit.end).trim() === '')) return [];
  // prefix[i] = estimated tokens of units[0..i); exact counts are checked on every chunk.
  const prefix = [0];
  for (const unit of units) prefix.push(prefix[prefix.length - 1]! + countTokens(text.slice(unit.start, unit.end)));
  const tokensBetween = (from: number, to: number): number => prefix[to]! - prefix[from]!;

  const chunks: Chunk[] = [];
  let first = 0;
  // Units before this index are in the previous chunk: a chunk must end after it to add anything new.
  let previousEnd = 0;
  while (first < units.length) {
    const minimumEnd = Math.max(first, previousEnd) + 1;
    let end = first;
    while (end < units.length && tokensBetween(first, end + 1) <= limits.maxTokens) end++;
    end = Math.max(end, minimumEnd);
    if (end < units.length) {
      // Fill is measured on the new content, so a chunk is not cut right after its overlap.
      const overlapTokens = tokensBetween(first, minimumEnd - 1);
      const fill = (cut: number): number => (tokensBetween(first, cut) - overlapTokens) / Math.max(1, tokensBetween(first, end) - overlapTokens);
      end = bestCut(units, minimumEnd, end, fill);
    }
    let slice = trimmedSlice(text, units[first]!.start, units[end - 1]!.end);
    // The estimate is a sum of unit counts; BPE can merge across a unit boundary, so check the real
    // count, giving up new content first and overlap last.
    while (slice.tokens > limits.maxTokens) {
      if (end > minimumEnd) end--;
      else if (first < end - 1) first++;
      else break; // a single unit: it was checked alone against the budget
      slice = trimmedSlice(text, units[first]!.start, units[end - 1]!.end);
    }
    if (slice.text !== '') {
      const index = chunks.length;
      chunks.push({
        id: `${documentId}:${index}`,
        documentId,
        index,
        text: slice.text,
        tokenCount: slice.tokens,
        startOffset: slice.start,
        endOffset: slice.end,
        context: contextOf(units[first]!, source.title),
      });
    }
    if (end >= units.length) break;
    const overlap = Math.min(limits.overlapTokens, Math.floor(tokensBetween(first, end) / 2));
    let next = end;
    // Reach back over whole units while the overlap allows it and the next unit still fits beside it.
    while (next - 1 > first && tokensBetween(next - 1, end) <= overlap && tokensBetween(next - 1, end + 1) <= limits.maxTokens) next--;
    previousEnd = end;
    first = next;
  }
  return chunks;
}

/** The units overlapping a range, the first and last clipped to it. */
function unitsWithin(units: readonly TextUnit[], range: TextRange): TextUnit[] {
  return units
    .filter((unit) => unit.end > range.start && unit.start < range.end)
    .map((unit) => ({ ...unit, start: Math.max(unit.start, range.start), end: Math.min(unit.end, range.end) }));
}

/**
 * The cut (an exclusive unit index in [from, to]) at the strongest boundary among those that fill at
 * least {@link MIN_FILL} of what the budget allows; the later cut wins a tie.
 */
function bestCut(units: readonly TextUnit[], from: number, to: number, fill: (cut: number) => number): number {
  let best = to;
  let bestBoundary = -1;
  for (let cut = from; cut <= to; cut++) {
    if (cut !== to && fill(cut) < MIN_FILL) continue;
    const boundary = units[cut - 1]!.boundaryAfter;
    if (boundary >= bestBoundary) {
      best = cut;
      bestBoundary = boundary;
    }
  }
  return best;
}

function trimmedSlice(text: string, start: number, end: number): { text: string; start: number; end: number; tokens: number } {
  const raw = text.slice(start, end);
  const leading = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  return { text: trimmed, start: start + leading, end: start + leading + trimmed.length, tokens: countTokens(trimmed) };
}

function contextOf(unit: TextUnit, title: string | undefined): string {
  const parts = unit.headings.map((heading) => heading.text).filter((part) => part !== '');
  if (title !== undefined && title.trim() !== '' && parts[0] !== title.trim()) parts.unshift(title.trim());
  // Drop the outermost headings after the first (the document's title) until the context fits.
  while (parts.length > 2 && countTokens(parts.join(' › ')) > MAX_CONTEXT_TOKENS) parts.splice(1, 1);
  let context = parts.join(' › ');
  while (countTokens(context) > MAX_CONTEXT_TOKENS) context = context.slice(0, Math.floor(context.length * 0.8));
  return context;
}

/** Replaces every unit longer than the budget by pieces that fit: whole words, or characters for a giant word. */
function splitOversized(text: string, units: TextUnit[], maxTokens: number): TextUnit[] {
  const result: TextUnit[] = [];
  for (const unit of units) {
    const fits = countTokens(text.slice(unit.start, unit.end)) <= maxTokens;
    const pieces = fits ? [{ start: unit.start, end: unit.end }] : splitBetweenWords(text, unit.start, unit.end, maxTokens);
    pieces.forEach((piece, index) =>
      result.push({ ...piece, headings: unit.headings, boundaryAfter: index === pieces.length - 1 ? unit.boundaryAfter : Boundary.none }),
    );
  }
  return result;
}

/** Cuts [start, end) before words into the longest runs that fit the budget (exactly counted). */
function splitBetweenWords(text: string, start: number, end: number, maxTokens: number): Array<{ start: number; end: number }> {
  // Word i spans [bounds[i], bounds[i + 1]); the first also holds any leading whitespace.
  const bounds = [start];
  const wordStart = /\s(?=\S)/g;
  wordStart.lastIndex = start;
  for (let match = wordStart.exec(text); match && match.index + 1 < end; match = wordStart.exec(text)) bounds.push(match.index + 1);
  bounds.push(end);
  const wordTokens = bounds.slice(0, -1).map((from, index) => countTokens(text.slice(from, bounds[index + 1])));

  const pieces: Array<{ start: number; end: number }> = [];
  let first = 0;
  while (first < wordTokens.length) {
    // Estimate with the sum of word counts, then step back until the exact count fits.
    let last = first;
    let estimate = 0;
    while (last < wordTokens.length && estimate + wordTokens[last]! <= maxTokens) estimate += wordTokens[last++]!;
    while (last > first + 1 && countTokens(text.slice(bounds[first], bounds[last])) > maxTokens) last--;
    if (last === first || countTokens(text.slice(bounds[first], bounds[last])) > maxTokens) {
      // One word alone is over the budget (a URL, a base64 blob, a long CJK run without spaces).
      pieces.push(...splitByCharacters(text, bounds[first]!, bounds[first + 1]!, maxTokens));
      first++;
    } else {
      pieces.push({ start: bounds[first]!, end: bounds[last]! });
      first = last;
    }
  }
  return pieces;
}

/** Cuts [start, end) into the longest prefixes that fit the budget, never inside a surrogate pair. */
function splitByCharacters(text: string, start: number, end: number, maxTokens: number): Array<{ start: number; end: number }> {
  const fits = (from: number, to: number): boolean => countTokens(text.slice(from, to)) <= maxTokens;
  const pieces: Array<{ start: number; end: number }> = [];
  let pieceStart = start;
  while (pieceStart < end) {
    // Gallop to a span that no longer fits, then binary-search inside it: each step tokenises about
    // one piece, not the rest of the word.
    let low = pieceStart + 1;
    let span = maxTokens * 4;
    let high = Math.min(end, pieceStart + span);
    while (high < end && fits(pieceStart, high)) {
      low = high;
      span *= 2;
      high = Math.min(end, pieceStart + span);
    }
    if (fits(pieceStart, high)) low = high;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(pieceStart, middle)) low = middle;
      else high = middle - 1;
    }
    let cut = low;
    if (cut < end && /[\uDC00-\uDFFF]/.test(text[cut]!) && cut - 1 > pieceStart) cut--;
    pieces.push({ start: pieceStart, end: cut });
    pieceStart = cut;
  }
  return pieces;
}
