import { readFileSync } from 'node:fs';
import { streamPartSchema, type CallWarning, type StreamPart } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { parseNdjson } from './ollama-ndjson.js';
import { toOllamaStreamParts } from './ollama-stream-parts.js';

const context = { provider: 'ollama-local', requestedModel: 'requested' };

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * Checks the stream's well-formedness rule: `stream-start`, `response-metadata`, blocks whose deltas
 * fall between their start and end, every block closed, and exactly one `finish`, last.
 */
function expectWellFormed(parts: StreamPart[]): void {
  expect(parts[0]?.type).toBe('stream-start');
  expect(parts[1]?.type).toBe('response-metadata');
  expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  expect(parts.at(-1)?.type).toBe('finish');
  const open = new Set<string>();
  for (const part of parts) {
    const [kind, phase] = part.type.startsWith('tool-input-') ? ['tool', part.type.slice(11)] : part.type.split('-');
    if (!('id' in part) || (kind !== 'text' && kind !== 'reasoning' && kind !== 'tool')) continue;
    const key = `${kind}:${part.id}`;
    if (phase === 'start') {
      expect(open.has(key), `${key} started twice`).toBe(false);
      open.add(key);
    } else {
      expect(open.has(key), `${part.type} outside its block`).toBe(true);
      if (phase === 'end') open.delete(key);
    }
  }
  expect([...open]).toEqual([]);
}

async function collect(text: string, warnings?: CallWarning[]): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of toOllamaStreamParts(parseNdjson(once(text), context.provider), context, warnings)) {
    parts.push(streamPartSchema.parse(part));
  }
  expectWellFormed(parts);
  return parts;
}

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const failure = (text: string): Promise<unknown> => collect(text).then(() => undefined, (error: unknown) => error);
const lines = (...values: unknown[]): string => values.map((value) => `${JSON.stringify(value)}\n`).join('');

describe('toOllamaStreamParts', () => {
  it('converts a text stream: one text block, then finish with usage from the done line', async () => {
    expect(await collect(fixture('chat-text.ndjson'))).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', modelId: 'gemma2:2b' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Hello' },
      { type: 'text-delta', id: 'text-0', delta: '! 👋' },
      { type: 'text-delta', id: 'text-0', delta: ' What can I do for you?' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 10, outputTokens: 17, totalTokens: 27 } },
    ]);
  });

  it('starts with the warnings it is given', async () => {
    const warnings: CallWarning[] = [{ type: 'unsupported-setting', setting: 'user' }];
    expect((await collect(fixture('chat-text.ndjson'), warnings))[0]).toEqual({ type: 'stream-start', warnings });
  });

  it('emits each whole tool call as a complete tool block and a tool-call, and finishes with tool-calls', async () => {
    const parts = await collect(fixture('chat-tool-calls.ndjson'));
    const generatedId = parts.find((part) => part.type === 'tool-call' && part.toolName === 'get_time');
    const timeId = generatedId?.type === 'tool-call' ? generatedId.toolCallId : '';
    expect(timeId).toMatch(/^call_[0-9a-f]{24}$/);
    expect(parts.slice(2)).toEqual([
      { type: 'tool-input-start', id: 'call_k3h1yq0w', toolName: 'get_current_weather' },
      { type: 'tool-input-delta', id: 'call_k3h1yq0w', delta: '{"format":"celsius","location":"Toronto"}' },
      { type: 'tool-input-end', id: 'call_k3h1yq0w' },
      { type: 'tool-call', toolCallId: 'call_k3h1yq0w', toolName: 'get_current_weather', input: '{"format":"celsius","location":"Toronto"}' },
      { type: 'tool-input-start', id: timeId, toolName: 'get_time' },
      { type: 'tool-input-delta', id: timeId, delta: '{"city":"Toronto"}' },
      { type: 'tool-input-end', id: timeId },
      { type: 'tool-call', toolCallId: timeId, toolName: 'get_time', input: '{"city":"Toronto"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'stop' }, usage: { inputTokens: 173, outputTokens: 43, totalTokens: 216 } },
    ]);
  });

  it('streams thinking as a reasoning block, closed when the answer starts', async () => {
    const parts = await collect(
      lines(
        { model: 'qwen3', message: { role: 'assistant', content: '', thinking: 'Light ' }, done: false },
        { model: 'qwen3', message: { role: 'assistant', content: '', thinking: 'scatters.' }, done: false },
        { model: 'qwen3', message: { role: 'assistant', content: 'Blue.' }, done: false },
        { model: 'qwen3', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 4 },
      ),
    );
    expect(parts.slice(1, -1)).toEqual([
      { type: 'response-metadata', modelId: 'qwen3' },
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'Light ' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'scatters.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Blue.' },
      { type: 'text-end', id: 'text-0' },
    ]);
  });

  it('closes a reasoning block still open at done (thinking, then only a tool call)', async () => {
    const parts = await collect(
      lines(
        { model: 'qwen3', message: { content: '', thinking: 'Need the time.' }, done: false },
        { model: 'qwen3', message: { content: '', tool_calls: [{ id: 'c1', function: { name: 'now', arguments: {} } }] }, done: false },
        { model: 'qwen3', message: { content: '' }, done: true, done_reason: 'stop' },
      ),
    );
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'reasoning-end',
      'finish',
    ]);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'tool-calls' }, usage: null });
  });

  it('opens a new reasoning block for thinking after the answer started, and keeps the one text block', async () => {
    const parts = await collect(
      lines(
        { message: { content: 'A', thinking: 'first' }, done: false },
        { message: { content: '', thinking: 'second' }, done: false },
        { message: { content: 'B' }, done: true, done_reason: 'stop' },
      ),
    );
    expect(parts.slice(1, -1)).toEqual([
      { type: 'response-metadata', modelId: 'requested' },
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: 'first' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'A' },
      { type: 'reasoning-start', id: 'reasoning-1' },
      { type: 'reasoning-delta', id: 'reasoning-1', delta: 'second' },
      { type: 'reasoning-end', id: 'reasoning-1' },
      { type: 'text-delta', id: 'text-0', delta: 'B' },
      { type: 'text-end', id: 'text-0' },
    ]);
  });

  it('sends no block for an empty answer, and maps done_reason length', async () => {
    const parts = await collect(lines({ model: 'm', message: { content: '' }, done: true, done_reason: 'length', eval_count: 1 }));
    expect(parts).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', modelId: 'm' },
      { type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: { inputTokens: 0, outputTokens: 1, totalTokens: 1 } },
    ]);
  });

  it('throws upstream_malformed_response when the lines end without done', async () => {
    expect(await failure(fixture('chat-cut.ndjson'))).toMatchObject({
      code: 'upstream_malformed_response',
      message: expect.stringContaining('stream ended before the answer finished'),
    });
  });

  it('throws upstream_error for an {error} line mid-stream', async () => {
    const text = `${fixture('chat-cut.ndjson')}{"error":"an error was encountered while running the model: unexpected EOF"}\n`;
    expect(await failure(text)).toMatchObject({ code: 'upstream_error', message: expect.stringContaining('unexpected EOF') });
  });

  it('throws upstream_malformed_response for a line that is not an object', async () => {
    expect(await failure('[1,2]\n')).toMatchObject({ code: 'upstream_malformed_response' });
  });
});
