/**
 * How good a place the end of a unit is to end a chunk: the chunker prefers the strongest boundary
 * that still fills the chunk reasonably.
 */
export const Boundary = {
  /** Inside a sentence (a word cut of an oversized sentence, or right after a heading line). */
  none: 0,
  /** After a sentence. */
  sentence: 1,
  /** After a list item, table row, quote line or code line. */
  line: 2,
  /** After a paragraph, list or code block. */
  block: 3,
  /** Before a heading (end of a section) or at the end of the text. */
  section: 4,
} as const;
export type Boundary = (typeof Boundary)[keyof typeof Boundary];

/** A Markdown heading in effect: its level (1–6) and its text. */
export interface Heading {
  level: number;
  text: string;
}

/**
 * A piece of the source text the chunker never cuts inside, unless it alone exceeds the budget.
 * Units tile the text: each starts where the previous one ended, so any run of units is a
 * contiguous slice of the source.
 */
export interface TextUnit {
  /** UTF-16 offset of the first character. */
  start: number;
  /** UTF-16 offset after the last character (the next unit's start). */
  end: number;
  /** How good a chunk end the end of this unit is. */
  boundaryAfter: Boundary;
  /** The headings above this unit (outermost first), not counting the unit itself if it is a heading. */
  headings: readonly Heading[];
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// A line that stands on its own even without a blank line before it (so its start is a real boundary).
const HARD_LINE_START = /^\s*(?:[-*+]\s|\d{1,9}[.)]\s|\||>)/;
// A sentence ends at . ! ? (optionally followed by closing quotes or brackets) and then whitespace.
const SENTENCE_END = /[.!?]["'\u2019\u201d)\]]*\s+/g;

interface Line {
  start: number;
  end: number;
  /** The line without its line break. */
  content: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end, content: text.slice(start, newline === -1 ? end : newline).replace(/\r$/, '') });
    start = end;
  }
  return lines;
}

const isBlank = (line: Line | undefined): boolean => line !== undefined && line.content.trim() === '';

/**
 * Cuts Markdown (or plain) text into units at sentence, line, block and section boundaries, and
 * records the heading path above each unit so a chunk can carry its section as context.
 * Headings are ATX (`## Title`) or setext (a line underlined with `===` / `---`); nothing inside a
 * fenced code block counts as a heading or a sentence end.
 */
export function splitIntoUnits(text: string): TextUnit[] {
  const lines = splitLines(text);
  const units: TextUnit[] = [];
  const stack: Heading[] = [];
  let fence: string | undefined;

  const push = (start: number, end: number, boundaryAfter: Boundary): void => {
    // The first unit also takes any blank lines before it, so units always start at offset 0.
    if (units.length === 0) start = 0;
    if (end > start) units.push({ start, end, boundaryAfter, headings: [...stack] });
  };
  // Heading units keep Boundary.none whatever follows them: a chunk must not end with its heading.
  const headingUnits = new Set<TextUnit>();
  const markPreviousEnd = (boundary: Boundary): void => {
    const previous = units[units.length - 1];
    if (previous && !headingUnits.has(previous) && previous.boundaryAfter < boundary) previous.boundaryAfter = boundary;
  };
  const enterHeading = (level: number, title: string, start: number, end: number): void => {
    markPreviousEnd(Boundary.section);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    push(start, end, Boundary.none);
    headingUnits.add(units[units.length - 1]!);
    stack.push({ level, text: title });
  };

  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (fence !== undefined) {
      const closes = line.content.trimStart().startsWith(fence);
      push(line.start, line.end, closes ? Boundary.block : Boundary.line);
      if (closes) fence = undefined;
      index++;
      continue;
    }
    if (isBlank(line)) {
      // Blank lines belong to the unit before them, so units keep tiling the text.
      const previous = units[units.length - 1];
      if (previous) {
        previous.end = line.end;
        markPreviousEnd(Boundary.block);
      }
      index++;
      continue;
    }
    const fenceMatch = FENCE.exec(line.content);
    if (fenceMatch) {
      markPreviousEnd(Boundary.block);
      fence = fenceMatch[1]!;
      push(line.start, line.end, Boundary.line);
      index++;
      continue;
    }
    const atx = ATX_HEADING.exec(line.content);
    if (atx) {
      enterHeading(atx[1]!.length, (atx[2] ?? '').trim(), line.start, line.end);
      index++;
      continue;
    }
    const next = lines[index + 1];
    const setext = next && !isBlank(next) ? SETEXT_UNDERLINE.exec(next.content) : null;
    if (setext && !HARD_LINE_START.test(line.content)) {
      enterHeading(setext[1]!.startsWith('=') ? 1 : 2, line.content.trim(), line.start, next!.end);
      index += 2;
      continue;
    }
    // A paragraph: consecutive lines up to a blank line, a fence or a heading.
    markPreviousEnd(Boundary.block);
    let last = index;
    while (last + 1 < lines.length) {
      const candidate = lines[last + 1]!;
      if (isBlank(candidate) || FENCE.test(candidate.content) || ATX_HEADING.test(candidate.content)) break;
      const afterCandidate = lines[last + 2];
      if (afterCandidate && SETEXT_UNDERLINE.test(afterCandidate.content) && !isBlank(afterCandidate)) {
        if (!HARD_LINE_START.test(candidate.content)) break;
      }
      last++;
    }
    pushParagraph(text, lines.slice(index, last + 1), push);
    markPreviousEnd(Boundary.block);
    index = last + 1;
  }
  markPreviousEnd(Boundary.section);
  return units;
}

/** Splits one paragraph into sentences, and at the starts of list items, table rows and quote lines. */
function pushParagraph(text: string, lines: Line[], push: (start: number, end: number, boundaryAfter: Boundary) => void): void {
  // Runs of lines that belong together: a soft-wrapped sentence continues on the next line.
  const runs: Array<{ start: number; end: number }> = [];
  for (const line of lines) {
    const current = runs[runs.length - 1];
    if (current && !HARD_LINE_START.test(line.content)) current.end = line.end;
    else runs.push({ start: line.start, end: line.end });
  }
  for (const run of runs) {
    const body = text.slice(run.start, run.end);
    let sentenceStart = 0;
    SENTENCE_END.lastIndex = 0;
    for (let match = SENTENCE_END.exec(body); match; match = SENTENCE_END.exec(body)) {
      const end = match.index + match[0].length;
      if (end >= body.length) break;
      push(run.start + sentenceStart, run.start + end, Boundary.sentence);
      sentenceStart = end;
    }
    push(run.start + sentenceStart, run.end, Boundary.line);
  }
}
