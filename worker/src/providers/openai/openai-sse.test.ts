import { describe, expect, it } from 'vitest';
import { readOpenAIEvents } from './openai-sse.js';

const context = { provider: 'openai-main', apiKey: 'sk-test-0123456789' };

async function* pieces(...chunks: string[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield Buffer.from(chunk);
}

async function read(...chunks: string[]): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of readOpenAIEvents(pieces(...chunks), context)) events.push(event);
  return events;
}

describe('readOpenAIEvents', () => {
  it('reads events split anywhere across network chunks, with CRLF and comments, until [DONE]', async () => {
    const events = await read(': keep-alive\r\n\r\ndata: {"id":"a","cho', 'ices":[]}\r\n', '\r\ndata: {"id":"b"}\n\ndata: [DO', 'NE]\n\ndata: {"id":"after-done"}\n\n');
    expect(events).toEqual([{ id: 'a', choices: [] }, { id: 'b' }]);
  });

  it('keeps a multi-byte character split between chunks intact', async () => {
    const bytes = Buffer.from('data: {"text":"é"}\n\n');
    const split = bytes.indexOf(0xc3) + 1;
    const events: unknown[] = [];
    async function* raw(): AsyncGenerator<Buffer> {
      yield bytes.subarray(0, split);
      yield bytes.subarray(split);
    }
    for await (const event of readOpenAIEvents(raw(), context)) events.push(event);
    expect(events).toEqual([{ text: 'é' }]);
  });

  it('throws the classified error of an error event', async () => {
    await expect(read('data: {"error":{"message":"overloaded","type":"server_error"}}\n\n')).rejects.toMatchObject({ code: 'upstream_error' });
    await expect(read('event: error\ndata: {"message":"bad","type":"invalid_request_error"}\n\n')).rejects.toMatchObject({ code: 'upstream_bad_request' });
  });

  it('skips one event that is not JSON, telling the caller, and throws a SyntaxError on two in a row', async () => {
    let skipped = 0;
    const events: unknown[] = [];
    const body = pieces('data: {"id":"a"}\n\ndata: {"id":\n\ndata: {"id":"b"}\n\ndata: nope\n\ndata: {"id":"c"}\n\ndata: [DONE]\n\n');
    for await (const event of readOpenAIEvents(body, context, () => skipped++)) events.push(event);
    expect(events).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(skipped).toBe(2);
    await expect(read('data: {"id":"a"}\n\ndata: {"id":\n\ndata: {oops\n\ndata: [DONE]\n\n')).rejects.toBeInstanceOf(SyntaxError);
  });
});
