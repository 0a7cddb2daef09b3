import { describe, expect, it } from 'vitest';
import { documentIdOfChunk, rankDocuments, rankHybrid, type HybridEvidence } from './hybrid-ranker.js';

const close = (value: number) => expect.closeTo(value, 10);

describe('rankHybrid with chunks only', () => {
  const evidence: HybridEvidence = {
    chunks: {
      dense: [
        { id: 'doc-a:0', similarity: 0.6 },
        { id: 'doc-b:0', similarity: 0.8 },
        { id: 'doc-c:0', similarity: -0.4 },
      ],
      lexical: [
        { id: 'doc-a:0', score: 6 },
        { id: 'doc-d:0', score: 2 },
      ],
      lexicalBound: 10,
    },
  };

  it('scores w · clamp(cosine) + (1 − w) · BM25 / bound and orders by it', () => {
    const ranked = rankHybrid(evidence);
    expect(ranked.map((chunk) => [chunk.id, chunk.score])).toEqual([
      ['doc-a:0', close(0.5 * 0.6 + 0.5 * 0.6)],
      ['doc-b:0', close(0.5 * 0.8)],
      ['doc-d:0', close(0.5 * 0.2)],
      ['doc-c:0', 0],
    ]);
    expect(ranked[0]).toMatchObject({ documentId: 'doc-a', chunk: { similarity: 0.6, lexical: close(0.6) } });
    expect(ranked[0]!.passage).toBeUndefined();
  });

  it('follows the dense weight and the limit', () => {
    expect(rankHybrid(evidence, { weights: { dense: 1 }, limit: 2 }).map((chunk) => chunk.id)).toEqual(['doc-b:0', 'doc-a:0']);
    expect(rankHybrid(evidence, { weights: { dense: 0 } })[0]!.score).toBeCloseTo(0.6, 10);
    expect(rankHybrid(evidence, { limit: 0 })).toEqual([]);
  });

  it('rejects weights outside [0, 1]', () => {
    expect(() => rankHybrid(evidence, { weights: { dense: 1.5 } })).toThrow(RangeError);
    expect(() => rankHybrid({ ...evidence, passages: { dense: [], lexical: [], lexicalBound: 0 } }, { weights: { passage: -0.1 } })).toThrow(RangeError);
  });

  it('ignores lexical scores when the bound is 0 and clamps odd similarities', () => {
    const ranked = rankHybrid({ chunks: { dense: [{ id: 'x:0', similarity: 1.0000002 }, { id: 'y:0', similarity: Number.NaN }], lexical: [{ id: 'y:0', score: 3 }], lexicalBound: 0 } });
    expect(ranked.map((chunk) => [chunk.id, chunk.score])).toEqual([
      ['x:0', 0.5],
      ['y:0', 0],
    ]);
  });

  it('breaks ties by id', () => {
    const ranked = rankHybrid({ chunks: { dense: [{ id: 'b:0', similarity: 0.5 }, { id: 'a:0', similarity: 0.5 }], lexical: [], lexicalBound: 0 } });
    expect(ranked.map((chunk) => chunk.id)).toEqual(['a:0', 'b:0']);
  });
});

describe('rankHybrid with passages', () => {
  const evidence: HybridEvidence = {
    chunks: {
      dense: [
        { id: 'doc-a:0', similarity: 0.3 },
        { id: 'doc-b:0', similarity: 0.5 },
      ],
      lexical: [],
      lexicalBound: 4,
    },
    passages: {
      dense: [
        { id: 'doc-a:0#0', similarity: 0.2 },
        { id: 'doc-a:0#1', similarity: 0.9 },
        { id: 'doc-b:0#0', similarity: 0.4 },
        { id: 'doc-c:1#0', similarity: 0.7 },
      ],
      lexical: [{ id: 'doc-a:0#0', score: 2 }],
      lexicalBound: 4,
    },
  };

  it('mixes each chunk’s own score with its best passage’s', () => {
    const ranked = rankHybrid(evidence);
    const passageA = Math.max(0.5 * 0.2 + 0.5 * 0.5, 0.5 * 0.9);
    expect(ranked.map((chunk) => [chunk.id, chunk.score])).toEqual([
      ['doc-a:0', close(0.5 * passageA + 0.5 * (0.5 * 0.3))],
      ['doc-b:0', close(0.5 * (0.5 * 0.4) + 0.5 * (0.5 * 0.5))],
      // Found only through a passage: its own part counts 0.
      ['doc-c:1', close(0.5 * (0.5 * 0.7))],
    ]);
    expect(ranked[0]!.passage).toMatchObject({ id: 'doc-a:0#1', similarity: 0.9, lexical: 0 });
    expect(ranked[2]).toMatchObject({ documentId: 'doc-c', chunk: { similarity: 0, lexical: 0, score: 0 } });
  });

  it('uses a custom mapping from passages to chunks and documents', () => {
    const ranked = rankHybrid(
      { chunks: { dense: [], lexical: [], lexicalBound: 0 }, passages: { dense: [{ id: 'p1', similarity: 0.8 }], lexical: [], lexicalBound: 0, chunkOf: () => 'chunk-7' } },
      { documentOf: () => 'file-x', weights: { passage: 1 } },
    );
    expect(ranked).toEqual([{ id: 'chunk-7', documentId: 'file-x', score: close(0.4), chunk: { similarity: 0, lexical: 0, score: 0 }, passage: { id: 'p1', similarity: 0.8, lexical: 0, score: close(0.4) } }]);
  });

  it('keeps every score in [0, 1] and the order monotonic on random evidence', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const ids = Array.from({ length: 12 }, (_, index) => `d${index % 4}:${index}`);
      const ranked = rankHybrid(
        {
          chunks: { dense: ids.map((id) => ({ id, similarity: random() * 2 - 1 })), lexical: ids.slice(0, 5).map((id) => ({ id, score: random() * 9 })), lexicalBound: 9 },
          passages: { dense: ids.map((id) => ({ id: `${id}#0`, similarity: random() * 2 - 1 })), lexical: ids.slice(3).map((id) => ({ id: `${id}#0`, score: random() * 5 })), lexicalBound: 5 },
        },
        { weights: { dense: random(), passage: random() } },
      );
      expect(ranked).toHaveLength(12);
      ranked.forEach((chunk, index) => {
        expect(chunk.score).toBeGreaterThanOrEqual(0);
        expect(chunk.score).toBeLessThanOrEqual(1);
        if (index > 0) expect(chunk.score).toBeLessThanOrEqual(ranked[index - 1]!.score);
      });
    }
  });
});

describe('rankDocuments', () => {
  it('orders documents by their best chunk', () => {
    const ranked = rankHybrid({
      chunks: {
        dense: [
          { id: 'a:0', similarity: 0.2 },
          { id: 'b:0', similarity: 0.5 },
          { id: 'a:1', similarity: 0.9 },
          { id: 'b:1', similarity: 0.1 },
        ],
        lexical: [],
        lexicalBound: 0,
      },
    });
    expect(rankDocuments(ranked)).toEqual([
      { documentId: 'a', score: close(0.45), chunkId: 'a:1' },
      { documentId: 'b', score: close(0.25), chunkId: 'b:0' },
    ]);
  });

  it('reads the document from a chunk id, even one with colons', () => {
    expect(documentIdOfChunk('file-abc:12')).toBe('file-abc');
    expect(documentIdOfChunk('urn:doc:3')).toBe('urn:doc');
    expect(documentIdOfChunk('plain')).toBe('plain');
  });
});
