import { describe, expect, it } from 'vitest';
import { AUTO_CHUNKING, chunkDocument, countTokens, indexedText, type Chunk, type ChunkingLimits } from './chunker.js';

const SENTENCES = [
  'Quillpad keeps every page in sync across devices.',
  'Owners can change the billing plan at any time from the settings.',
  'Refunds for annual plans are possible within fourteen days of the charge.',
  'Guests only see the pages that were shared with them.',
  'The public API answers with status 429 when a workspace sends too many requests.',
  'Webhook deliveries are signed with the endpoint secret.',
];

/** A Markdown document of `sections` sections of `paragraphs` paragraphs of three sentences each. */
function markdown(sections: number, paragraphs: number): string {
  const parts = ['# Handbook', ''];
  let sentence = 0;
  for (let section = 1; section <= sections; section++) {
    parts.push(`## Section ${section}`, '');
    for (let paragraph = 0; paragraph < paragraphs; paragraph++) {
      parts.push([0, 1, 2].map(() => SENTENCES[sentence++ % SENTENCES.length]).join(' '), '');
    }
  }
  return parts.join('\n');
}

// Half of a UTF-16 surrogate pair: what a cut inside an emoji would leave.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The invariants every chunking must keep. */
function expectWellFormed(text: string, chunks: Chunk[], limits: ChunkingLimits): void {
  chunks.forEach((chunk, index) => {
    expect(chunk.id).toBe(`${chunk.documentId}:${index}`);
    expect(chunk.index).toBe(index);
    expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.text);
    expect(chunk.text).toBe(chunk.text.trim());
    expect(chunk.text).not.toBe('');
    expect(chunk.tokenCount).toBe(countTokens(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(limits.maxTokens);
    expect(chunk.text).not.toMatch(LONE_SURROGATE);
    const previous = chunks[index - 1];
    if (previous) {
      expect(chunk.startOffset).toBeGreaterThan(previous.startOffset);
      expect(chunk.endOffset).toBeGreaterThan(previous.endOffset);
      // No gap: every character is in some chunk.
      expect(text.slice(previous.endOffset, chunk.startOffset).trim()).toBe('');
    }
  });
  if (chunks.length > 0) {
    expect(text.slice(0, chunks[0]!.startOffset).trim()).toBe('');
    expect(text.slice(chunks[chunks.length - 1]!.endOffset).trim()).toBe('');
  }
}

describe('chunkDocument', () => {
  it('gives no chunk for an empty or blank document', () => {
    expect(chunkDocument({ documentId: 'empty', text: '' })).toEqual([]);
    expect(chunkDocument({ documentId: 'blank', text: ' \n\n\t \n' })).toEqual([]);
  });

  it('keeps a short document whole, trimmed, with its offsets', () => {
    const text = '\n\n# Refunds\n\nAnnual plans can be refunded within 14 days.\n\n';
    const [chunk, ...rest] = chunkDocument({ documentId: 'file-1', text });
    expect(rest).toEqual([]);
    expect(chunk).toMatchObject({ id: 'file-1:0', documentId: 'file-1', index: 0, text: text.trim(), context: '' });
    expectWellFormed(text, [chunk!], AUTO_CHUNKING);
  });

  it('respects the budget and overlaps consecutive chunks by at most the overlap', () => {
    const text = markdown(6, 3);
    const limits = { maxTokens: 120, overlapTokens: 60 };
    const chunks = chunkDocument({ documentId: 'doc', text }, limits);
    expect(chunks.length).toBeGreaterThan(4);
    expectWellFormed(text, chunks, limits);
    for (let index = 1; index < chunks.length; index++) {
      const shared = text.slice(chunks[index]!.startOffset, Math.max(chunks[index]!.startOffset, chunks[index - 1]!.endOffset));
      expect(countTokens(shared.trim())).toBeLessThanOrEqual(limits.overlapTokens);
    }
    expect(chunks.some((chunk, index) => index > 0 && chunk.startOffset < chunks[index - 1]!.endOffset)).toBe(true);
  });

  it('does not overlap when the overlap is 0', () => {
    const text = markdown(4, 3);
    const chunks = chunkDocument({ documentId: 'doc', text }, { maxTokens: 100, overlapTokens: 0 });
    expectWellFormed(text, chunks, { maxTokens: 100, overlapTokens: 0 });
    chunks.slice(1).forEach((chunk, index) => expect(chunk.startOffset).toBeGreaterThanOrEqual(chunks[index]!.endOffset));
  });

  it('cuts at section, then paragraph, then sentence boundaries', () => {
    const text = markdown(3, 2);
    const chunks = chunkDocument({ documentId: 'doc', text }, { maxTokens: 100, overlapTokens: 0 });
    for (const chunk of chunks.slice(0, -1)) {
      // Every chunk ends a sentence, and is followed by a blank line (a paragraph or section end).
      expect(chunk.text).toMatch(/\.$/);
      expect(text.slice(chunk.endOffset, chunk.endOffset + 2)).toBe('\n\n');
    }
  });

  it('gives a chunk the headings above it as context, but not the ones it contains', () => {
    const text = markdown(3, 3);
    const chunks = chunkDocument({ documentId: 'doc', text, title: 'handbook.md' }, { maxTokens: 100, overlapTokens: 0 });
    expect(chunks[0]!.context).toBe('handbook.md');
    const insideSection = chunks.find((chunk) => !chunk.text.startsWith('#'));
    expect(insideSection?.context).toMatch(/^handbook\.md › Handbook › Section \d$/);
    const sections = chunkDocument({ documentId: 'doc', text: markdown(4, 1), title: 'handbook.md' }, { maxTokens: 100, overlapTokens: 0 });
    expect(sections.map((chunk) => chunk.text.split('\n')[0])).toEqual(['# Handbook', '## Section 3']);
    expect(sections[1]!.context).toBe('handbook.md › Handbook');
    expect(indexedText(insideSection!)).toBe(`${insideSection!.context}\n\n${insideSection!.text}`);
  });

  it('knows setext headings and ignores # lines inside fenced code', () => {
    const text = ['Billing', '=======', '', '```sh', '# not a heading', 'curl https://api.example', '```', '', 'After the code block. It goes on.'].join('\n');
    const chunks = chunkDocument({ documentId: 'doc', text }, { maxTokens: 100, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    const tail = chunkDocument({ documentId: 'doc', text }, { maxTokens: 100, overlapTokens: 0 }, { start: text.indexOf('After'), end: text.length });
    expect(tail[0]!.context).toBe('Billing');
  });

  it('cuts a paragraph larger than the budget between sentences, and a sentence between words', () => {
    const paragraph = Array.from({ length: 60 }, (_, index) => SENTENCES[index % SENTENCES.length]).join(' ');
    const sentence = `${'word '.repeat(700)}end.`;
    for (const text of [paragraph, sentence]) {
      const limits = { maxTokens: 100, overlapTokens: 20 };
      const chunks = chunkDocument({ documentId: 'big', text }, limits);
      expect(chunks.length).toBeGreaterThan(5);
      expectWellFormed(text, chunks, limits);
    }
  });

  it('cuts a giant word between characters, never inside a surrogate pair', () => {
    for (const text of ['x'.repeat(20_000), '😀'.repeat(3_000), `prefix ${'ab'.repeat(5_000)} suffix`]) {
      const limits = { maxTokens: 100, overlapTokens: 0 };
      const chunks = chunkDocument({ documentId: 'blob', text }, limits);
      expect(chunks.length).toBeGreaterThan(1);
      expectWellFormed(text, chunks, limits);
    }
  });

  it('counts special-token strings in documents as plain text', () => {
    const text = 'A document that mentions <|endoftext|> and <|im_start|> literally.';
    expect(chunkDocument({ documentId: 'doc', text })[0]!.text).toBe(text);
  });

  it('is deterministic', () => {
    const text = markdown(5, 4);
    const limits = { maxTokens: 150, overlapTokens: 75 };
    expect(chunkDocument({ documentId: 'doc', text }, limits)).toEqual(chunkDocument({ documentId: 'doc', text }, limits));
  });

  it('keeps a document of 800 tokens or fewer in one chunk under auto', () => {
    const text = markdown(4, 3);
    expect(countTokens(text.trim())).toBeLessThanOrEqual(800);
    expect(chunkDocument({ documentId: 'doc', text })).toHaveLength(1);
    const long = markdown(20, 3);
    const chunks = chunkDocument({ documentId: 'doc', text: long });
    expect(chunks.length).toBeGreaterThan(2);
    expectWellFormed(long, chunks, AUTO_CHUNKING);
  });
});
