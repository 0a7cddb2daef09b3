import { describe, expect, it } from 'vitest';
import { parseNdjson } from './ollama-ndjson.js';

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

async function collect(body: AsyncIterable<string | Uint8Array>): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of parseNdjson(body, 'ollama-local')) values.push(value);
  return values;
}

describe('parseNdjson', () => {
  it('joins lines split across chunks and skips blank lines', async () => {
    expect(await collect(chunks('{"a":1}\n{"b"', ':2}\r\n\n{"c":', '3}\n'))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('keeps a multi-byte character split between two chunks', async () => {
    const bytes = new TextEncoder().encode('{"text":"👋"}\n');
    expect(await collect(chunks(bytes.slice(0, 11), bytes.slice(11)))).toEqual([{ text: '👋' }]);
  });

  it('parses a last line without a trailing newline', async () => {
    expect(await collect(chunks('{"a":1}\n{"done":true}'))).toEqual([{ a: 1 }, { done: true }]);
  });

  it('skips one line that is not JSON, and throws upstream_malformed_response on two in a row', async () => {
    let skipped = 0;
    const values: unknown[] = [];
    for await (const value of parseNdjson(chunks('{"a":1}\n{"b": nope}\n{"c":3}\n'), 'ollama-local', () => skipped++)) values.push(value);
    expect(values).toEqual([{ a: 1 }, { c: 3 }]);
    expect(skipped).toBe(1);
    const error = await collect(chunks('{"a":1}\n{"b": nope}\n{nope}\n')).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'upstream_malformed_response', provider: 'ollama-local' });
  });
});
