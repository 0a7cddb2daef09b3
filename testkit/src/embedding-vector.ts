import { createHash } from 'node:crypto';
import { splitWords } from './words.js';

/** Dimension of simulated embeddings when the request does not ask for one. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 16;

/**
 * A deterministic, unit-length embedding. Each word contributes a pseudo-random vector seeded by the
 * word itself, so texts sharing words are closer (useful for retrieval tests) and a smaller
 * `dimensions` is the prefix of a larger one, renormalised, as with OpenAI's shortened embeddings.
 */
export function embedText(text: string, dimensions: number): number[] {
  const words = splitWords(text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' '));
  const sum = new Array<number>(dimensions).fill(0);
  for (const word of words.length > 0 ? words : ['']) {
    const values = wordVector(word, dimensions);
    for (let index = 0; index < dimensions; index++) sum[index]! += values[index]!;
  }
  const norm = Math.sqrt(sum.reduce((total, value) => total + value * value, 0)) || 1;
  // Rounded through float32 so the float and base64 encodings carry identical numbers.
  return sum.map((value) => Math.fround(value / norm));
}

/** Values in [-1, 1] from a SHA-256 counter stream seeded by the word. */
function wordVector(word: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${word}\u0000${block}`).digest();
    for (let offset = 0; offset + 4 <= digest.length && values.length < dimensions; offset += 4) {
      values.push((digest.readUInt32LE(offset) / 0xffffffff) * 2 - 1);
    }
  }
  return values;
}

/** OpenAI's `encoding_format: "base64"`: little-endian float32 bytes, base64-encoded. */
export function toBase64Float32(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}
