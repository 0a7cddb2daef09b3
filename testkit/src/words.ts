/*
 * The simulator's tokenizer: a token is a whitespace-separated word. Crude, but deterministic and easy
 * to predict in a test ("3 words in, 3 prompt tokens").
 */

/** The words of a text. */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

export function countWords(text: string): number {
  return splitWords(text).length;
}

/**
 * Splits a text into stream pieces of one word each, keeping the whitespace before a word with it
 * (`"Hello from x"` → `["Hello", " from", " x"]`), so the pieces concatenate back to the text.
 * Trailing whitespace is dropped.
 */
export function splitPieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
