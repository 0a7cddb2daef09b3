import { describe, expect, it } from 'vitest';
import { chunkDocument, countTokens } from './chunker.js';
import { chunkIdOfPassage, PASSAGE_LIMITS, splitIntoPassages } from './passages.js';

const TEXT = [
  '# Refund policy',
  '',
  '## Annual plans',
  'If you bought or renewed an annual subscription, you can ask for a full refund within 14 days of the charge. After 14 days annual subscriptions are non-refundable, but you can turn off auto-renewal so you are not charged again.',
  '',
  '## Monthly plans',
  'Monthly charges are not refunded, including partial months. When you cancel, the plan simply stays active until the month you paid for ends.',
].join('\n');
const source = { documentId: 'file-9', text: TEXT };

describe('splitIntoPassages', () => {
  it('cuts a chunk into short passages that carry their section headings', () => {
    const [chunk] = chunkDocument(source);
    const passages = splitIntoPassages(source, chunk!);
    expect(passages.length).toBe(3);
    passages.forEach((passage, index) => {
      expect(passage).toMatchObject({ id: `file-9:0#${index}`, chunkId: 'file-9:0', documentId: 'file-9', index });
      const body = passage.text.split('\n\n').at(-1)!;
      expect(TEXT).toContain(body);
      expect(countTokens(body)).toBeLessThanOrEqual(PASSAGE_LIMITS.maxTokens);
    });
    expect(passages.find((passage) => passage.text.includes('partial months'))!.text).toMatch(/^Refund policy › Monthly plans\n\n|^Refund policy\n\n## Monthly plans/);
  });

  it('reads headings from the whole document when the chunk starts inside a section', () => {
    const chunks = chunkDocument(source, { maxTokens: 50, overlapTokens: 0 });
    const inside = chunks.find((chunk) => chunk.text.startsWith('After 14 days'));
    expect(inside).toBeDefined();
    const [first] = splitIntoPassages(source, inside!, { maxTokens: 30, overlapTokens: 0 });
    expect(first!.id).toBe(`${inside!.id}#0`);
    expect(first!.text.startsWith('Refund policy › Annual plans\n\nAfter 14 days')).toBe(true);
  });

  it('maps a passage id back to its chunk', () => {
    expect(chunkIdOfPassage('file-9:3#2')).toBe('file-9:3');
    expect(chunkIdOfPassage('doc#x:1#0')).toBe('doc#x:1');
  });
});
