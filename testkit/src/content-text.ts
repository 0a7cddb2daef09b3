/*
 * Lenient readers for request JSON. The simulator validates only what the real APIs reject; for the
 * rest it reads what it understands and ignores what it does not.
 */

/** A plain JSON object, or null. */
export function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A finite number, or null. */
export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Strings from a `string | string[]` field (stop sequences, embedding inputs); other values are dropped. */
export function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

/**
 * The text of a message `content`: a string, or an array of blocks whose `text` fields are joined
 * with spaces (so separate blocks never merge two words). Non-text blocks count as no text.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((block) => {
      const part = asObject(block);
      return part && part.type === 'text' && typeof part.text === 'string' ? part.text : '';
    })
    .filter((text) => text.length > 0)
    .join(' ');
}

/** The first non-empty string among `values`, or null. */
export function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === 'string' && value.length > 0) return value;
  return null;
}
