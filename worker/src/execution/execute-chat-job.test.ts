import { DEFAULT_CIRCUIT, GatewayError, type ChatJob, type ChatProvider, type ChatReply, type JobContext, type ReplyBody, type StreamPart } from '@ailb/shared';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { describe, expect, it } from 'vitest';
import { executeChatJob } from './execute-chat-job.js';
import { chatJobFixture } from './fixtures/chat-job.js';

function job(stream: boolean, targets = [{ provider: 'p', model: 'm' }]): ChatJob {
  return chatJobFixture({ stream, targets });
}

/** A job context whose publishes take `publishMs`, recording every message in order. */
function context(stream: boolean, publishMs = 0, targets?: Array<{ provider: string; model: string }>): JobContext<'chat'> & { sent: ReplyBody[] } {
  const sent: ReplyBody[] = [];
  return {
    job: job(stream, targets),
    signal: new AbortController().signal,
    sent,
    async reply(body: ReplyBody) {
      sent.push(body);
      if (publishMs > 0) await new Promise((resolve) => setTimeout(resolve, publishMs));
    },
  };
}

function streamingProvider(parts: StreamPart[], failAfter?: number): ChatProvider {
  return {
    id: 'p',
    generate: () => Promise.reject(new Error('not used')),
    async *stream() {
      for (const [index, part] of parts.entries()) {
        if (index === failAfter) throw new GatewayError('upstream_unreachable', 'Provider p could not be reached: reset', { provider: 'p' });
        yield part;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    listModels: async () => [],
  };
}

const text = (delta: string): StreamPart => ({ type: 'text-delta', id: 't', delta });
const finish: StreamPart = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: null };
const opening: StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'response-metadata', modelId: 'm-2024' }, { type: 'text-start', id: 't' }];
const dependencies = (provider: ChatProvider) => ({ providers: new Map([['p', provider]]), state: new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 }), logger: silentLogger(), workerId: 'w' });

function silentLogger() {
  const noop = () => undefined;
  return { warn: noop, error: noop, info: noop, debug: noop } as unknown as Parameters<typeof executeChatJob>[1]['logger'];
}

const kinds = (sent: ReplyBody[]) => sent.map((message) => (message.kind === 'stream' ? `stream${message.start ? '+start' : ''}${message.end ? '+end' : ''}:${message.parts.map((part) => part.type).join(',')}` : message.kind));

/** A provider whose `m` target never sends a token and whose other models answer at once; counts calls per model. */
function silentFirst(calls: Map<string, number>): ChatProvider {
  return {
    ...streamingProvider([]),
    stream: (call) => {
      calls.set(call.model, (calls.get(call.model) ?? 0) + 1);
      if (call.model !== 'm') return streamingProvider([...opening, text('ok'), finish]).stream(call);
      return (async function* silent() {
        yield opening[0]!;
        await new Promise((_resolve, reject) => call.signal.addEventListener('abort', () => reject(new GatewayError('request_cancelled', 'aborted')), { once: true }));
      })();
    },
  };
}

describe('executeChatJob, silence', () => {
  const twoTargets = (retryOnTimeout?: boolean, probe?: boolean) => {
    const replies = context(true, 0, [{ provider: 'p', model: 'm' }, { provider: 'p', model: 'm2' }]);
    const plan = replies.job.plan;
    plan.retries = { ...plan.retries, maxAttemptsPerTarget: 3, backoffBaseMs: 1, backoffMaxMs: 1, ...(retryOnTimeout === undefined ? {} : { retryOnTimeout }) };
    plan.targets = plan.targets.map((target, index) => ({ ...target, timeouts: { ...target.timeouts, firstTokenMs: 50 }, ...(index === 0 && probe ? { probe: true } : {}) }));
    return replies;
  };
  const attemptsOf = (replies: { sent: ReplyBody[] }) => (replies.sent[0] as Extract<ChatReply, { kind: 'stream' }>).start?.attempts.map((attempt) => [attempt.model, attempt.outcome]);

  it('moves to the next target as soon as a target sends no first token in time', async () => {
    const calls = new Map<string, number>();
    const replies = twoTargets();
    await executeChatJob(replies, dependencies(silentFirst(calls)));
    expect(Object.fromEntries(calls)).toEqual({ m: 1, m2: 1 });
    expect(attemptsOf(replies)).toEqual([['m', 'upstream_timeout'], ['m2', 'success']]);
  });

  it('retries the silent target first when the route says retry_on_timeout', async () => {
    const calls = new Map<string, number>();
    const replies = twoTargets(true);
    await executeChatJob(replies, dependencies(silentFirst(calls)));
    expect(Object.fromEntries(calls)).toEqual({ m: 3, m2: 1 });
  });

  it('spends exactly one attempt on a failing half-open probe, whatever the retry policy', async () => {
    const calls = new Map<string, number>();
    const replies = twoTargets(true, true);
    await executeChatJob(replies, dependencies(silentFirst(calls)));
    expect(Object.fromEntries(calls)).toEqual({ m: 1, m2: 1 });
  });
});

describe('executeChatJob, streaming', () => {
  it('opens with who serves and every part up to the first token, and closes with finish and end', async () => {
    const replies = context(true);
    await executeChatJob(replies, dependencies(streamingProvider([...opening, text('Hel'), text('lo'), { type: 'text-end', id: 't' }, finish])));
    expect(kinds(replies.sent)[0]).toBe('stream+start:stream-start,response-metadata,text-start,text-delta');
    expect(replies.sent.at(-1)).toMatchObject({ kind: 'stream', end: true, parts: [finish] });
    const first = replies.sent[0] as Extract<ChatReply, { kind: 'stream' }>;
    expect(first.start?.servedBy).toMatchObject({ provider: 'p', model: 'm-2024' });
  });

  it('coalesces the parts that arrive while a message is in flight into one message', async () => {
    const replies = context(true, 30);
    await executeChatJob(replies, dependencies(streamingProvider([...opening, ...'abcdefgh'.split('').map(text), finish])));
    // 8 deltas in a handful of messages, in order, nothing lost.
    expect(replies.sent.length).toBeLessThan(5);
    const deltas = replies.sent.flatMap((message) => (message.kind === 'stream' ? message.parts : [])).flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
    expect(deltas.join('')).toBe('abcdefgh');
  });

  it('answers an empty completion with one message that starts and ends the stream', async () => {
    const replies = context(true);
    await executeChatJob(replies, dependencies(streamingProvider([opening[0]!, opening[1]!, finish])));
    expect(kinds(replies.sent)).toEqual(['stream+start+end:stream-start,response-metadata,finish']);
  });

  it('ends a stream that broke after its first token with an error part, never with finish', async () => {
    const replies = context(true);
    await executeChatJob(replies, dependencies(streamingProvider([...opening, text('a'), text('b'), finish], 4)));
    const last = replies.sent.at(-1)!;
    expect(last).toMatchObject({ kind: 'stream', end: true });
    expect(last.kind === 'stream' && last.parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unreachable', provider: 'p' } });
    expect(replies.sent.flatMap((message) => (message.kind === 'stream' ? message.parts : [])).some((part) => part.type === 'finish')).toBe(false);
  });

  it('fails over invisibly when a target breaks before its first token', async () => {
    const replies = context(true, 0, [{ provider: 'p', model: 'm' }, { provider: 'p', model: 'm2' }]);
    let calls = 0;
    const provider: ChatProvider = { ...streamingProvider([]), stream: (call) => (calls++ === 0 ? streamingProvider(opening, 2) : streamingProvider([...opening, text('ok'), finish])).stream(call) };
    await executeChatJob(replies, dependencies(provider));
    expect(kinds(replies.sent)[0]).toMatch(/^stream\+start:/);
    const first = replies.sent[0] as Extract<ChatReply, { kind: 'stream' }>;
    expect(first.start?.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      ['m', 'upstream_unreachable'],
      ['m2', 'success'],
    ]);
  });
});
