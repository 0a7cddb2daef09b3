import { describe, expect, it } from 'vitest';
import { Boundary, splitIntoUnits } from './text-units.js';

const DOCUMENT = [
  '',
  '# Billing',
  '',
  'First sentence here. Second one follows!',
  'Still the second paragraph line? Yes.',
  '',
  '- item one',
  '- item two',
  '',
  'Refunds',
  '-------',
  '',
  '```',
  '# a comment, not a heading. Really.',
  '```',
  'Last words.',
].join('\n');

describe('splitIntoUnits', () => {
  const units = splitIntoUnits(DOCUMENT);
  const texts = units.map((unit) => DOCUMENT.slice(unit.start, unit.end).trim());

  it('tiles the text from 0 to its end', () => {
    expect(units[0]!.start).toBe(0);
    units.slice(1).forEach((unit, index) => expect(unit.start).toBe(units[index]!.end));
    expect(units[units.length - 1]!.end).toBe(DOCUMENT.length);
  });

  it('splits sentences, list items, headings and code lines', () => {
    expect(texts).toEqual([
      '# Billing',
      'First sentence here.',
      'Second one follows!',
      'Still the second paragraph line?',
      'Yes.',
      '- item one',
      '- item two',
      'Refunds\n-------',
      '```',
      '# a comment, not a heading. Really.',
      '```',
      'Last words.',
    ]);
  });

  it('ranks the boundaries after each unit', () => {
    expect(units.map((unit) => unit.boundaryAfter)).toEqual([
      Boundary.none, // never right after a heading
      Boundary.sentence,
      Boundary.sentence, // a soft-wrapped line is not a boundary of its own
      Boundary.sentence,
      Boundary.block,
      Boundary.line,
      Boundary.section, // the next line is a (setext) heading
      Boundary.none,
      Boundary.line,
      Boundary.line,
      Boundary.block,
      Boundary.section,
    ]);
  });

  it('records the headings above each unit', () => {
    const paths = units.map((unit) => unit.headings.map((heading) => `${heading.level}:${heading.text}`).join(' > '));
    expect(paths[0]).toBe('');
    expect(paths[1]).toBe('1:Billing');
    expect(paths[7]).toBe('1:Billing');
    expect(paths[11]).toBe('1:Billing > 2:Refunds');
  });

  it('pops headings of the same or a deeper level', () => {
    const text = '# A\n\n## B\n\n### C\n\ntext\n\n## D\n\nmore';
    const last = splitIntoUnits(text).at(-1)!;
    expect(last.headings.map((heading) => heading.text)).toEqual(['A', 'D']);
  });

  it('has no unit for a blank text', () => {
    expect(splitIntoUnits('')).toEqual([]);
    expect(splitIntoUnits('\n \n')).toEqual([]);
  });
});
