import { DEFAULT_CIRCUIT, GatewayError, type ChatProvider, type JobContext, type ProviderCall, type ReplyBody, type StreamPart } from '@ailb/shared';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { describe, expect, it } from 'vitest';
import { anthropicAcceptsPrefill } from '../providers/anthropic/anthropic-prefill.js';
import { executeChatJob } from './execute-chat-job.js';
import { chatJobFixture } from './fixtures/chat-job.js';

/*
 * Continuation of a broken stream, at the unit level: what the continuation is asked, and how its
 * parts join the answer already sent. The end-to-end behaviour (real adapters, both queue drivers) is
 * in standalone/test/stream-continuation.e2e.test.ts.
 */
const finish: StreamPart = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 } };

function context(options: { providers?: string[]; hedgeAfterMs?: number; stream?: boolean; failReplyAfter?: number } = {}): JobContext<'chat'> & { sent: ReplyBody[] } {
  const job = chatJobFixture({
    stream: options.stream ?? true,
    targets: (options.providers ?? ['first', 'second']).map((provider, index) => ({ provider, model: 'm', ...(index === 0 && options.hedgeAfterMs !== undefined ? { hedgeAfterMs: options.hedgeAfterMs } : {}) })),
  });
  const sent: ReplyBody[] = [];
  const reply = async (body: ReplyBody) => {
    if (options.failReplyAfter !== undefined && sent.length >= options.failReplyAfter) throw new Error('the reply channel is gone');
    sent.push(body);
  };
  return { job, signal: new AbortController().signal, sent, reply };
}

/** A provider streaming `parts`, throwing a reset where `failAt` says; it records the calls it got and whether each was aborted. */
function provider(id: string, parts: StreamPart[], options: { failAt?: number; prefill?: boolean; delayMs?: number } = {}): ChatProvider & { calls: ProviderCall[] } {
  const calls: ProviderCall[] = [];
  return {
    id,
    calls,
    generate: () => Promise.reject(new Error('not used')),
    acceptsPrefill: () => options.prefill ?? false,
    async *stream(call) {
      calls.push(call);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      call.signal.throwIfAborted();
      for (const [index, part] of parts.entries()) {
        if (index === options.failAt) throw new GatewayError('upstream_unreachable', `Provider ${id} could not be reached: reset`, { provider: id });
        yield part;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    listModels: async () => [],
  };
}

async function run(...providers: ChatProvider[]) {
  return runWith(context(), ...providers);
}

async function runWith(replies: ReturnType<typeof context>, ...providers: ChatProvider[]) {
  const noop = () => undefined;
  const logger = { warn: noop, error: noop, info: noop, debug: noop } as unknown as Parameters<typeof executeChatJob>[1]['logger'];
  await executeChatJob(replies, { providers: new Map(providers.map((item) => [item.id, item])), state: new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 }), logger, workerId: 'w' });
  const parts = replies.sent.flatMap((message) => (message.kind === 'stream' ? message.parts : []));
  const last = replies.sent.at(-1);
  return { parts, text: parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join(''), attempts: last?.kind === 'stream' ? last.attempts : undefined };
}

const start: StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'response-metadata', modelId: 'm' }];
const text = (id: string, ...deltas: string[]): StreamPart[] => [{ type: 'text-start', id }, ...deltas.map((delta): StreamPart => ({ type: 'text-delta', id, delta })), { type: 'text-end', id }];

describe('stream continuation', () => {
  it('prefills without trailing whitespace and does not repeat it; the continuation joins the open text block, its reasoning left out', async () => {
    const first = provider('first', [...start, ...text('a', 'Hello', ' there ', 'never'), finish], { failAt: 5 });
    const second = provider('second', [...start, { type: 'reasoning-start', id: 'r' }, { type: 'reasoning-delta', id: 'r', delta: 'hmm' }, { type: 'reasoning-end', id: 'r' }, ...text('b', ' world', '!'), finish], { prefill: true });
    const { parts, text: answer, attempts } = await run(first, second);
    expect(answer).toBe('Hello there world!');
    const prefill = second.calls[0]!.call.prompt.at(-1)!;
    expect(prefill).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Hello there' }] });
    expect(parts.map((part) => part.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-delta', 'text-delta', 'text-end', 'finish']);
    expect(parts.filter((part) => 'id' in part).every((part) => (part as { id: string }).id === 'a')).toBe(true);
    expect(attempts?.map((attempt) => `${attempt.provider}=${attempt.outcome}`)).toEqual(['first=upstream_unreachable', 'second=continued']);
    expect(attempts?.[1]?.usage).toEqual({ inputTokens: 9, outputTokens: 2, totalTokens: 11 });
  });

  it('restarts on a target without prefill support and relays only what follows the text already sent', async () => {
    const first = provider('first', [...start, ...text('a', 'One', ' two', ' three'), finish], { failAt: 5 });
    const second = provider('second', [...start, ...text('b', 'One two', ' thr', 'ee', ' four'), finish]);
    const { text: answer } = await run(first, second);
    expect(answer).toBe('One two three four');
    expect(second.calls[0]!.call.prompt.at(-1)!.role).toBe('user');
  });

  it('ends with the failure that broke the stream when the restart diverges, or when reasoning was under way', async () => {
    const diverging = await run(provider('first', [...start, ...text('a', 'One', ' two'), finish], { failAt: 4 }), provider('second', [...start, ...text('b', 'Two', ' one'), finish]));
    expect(diverging.parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unreachable', provider: 'first' } });
    expect(diverging.text).toBe('One');
    const thinking = provider('first', [...start, { type: 'reasoning-start', id: 'r' }, { type: 'reasoning-delta', id: 'r', delta: 'let me' }, { type: 'reasoning-end', id: 'r' }], { failAt: 4 });
    const untouched = provider('second', [...start, ...text('b', 'x'), finish], { prefill: true });
    const broken = await run(thinking, untouched);
    expect(broken.parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unreachable' } });
    expect(untouched.calls).toHaveLength(0);
  });
});

describe('continuation with hedging and broken reply channels', () => {
  it('continues on the target after a hedge that won and then broke', async () => {
    const slow = provider('first', [...start, ...text('a', 'late'), finish], { delayMs: 300 });
    const winner = provider('second', [...start, ...text('b', 'One', ' two', ' three'), finish], { failAt: 5 });
    const third = provider('third', [...start, ...text('c', ' three', ' four'), finish], { prefill: true });
    const { text: answer, attempts } = await runWith(context({ providers: ['first', 'second', 'third'], hedgeAfterMs: 20 }), slow, winner, third);
    expect(answer).toBe('One two three four');
    expect(attempts?.map((attempt) => `${attempt.provider}=${attempt.outcome}`)).toEqual(['first=hedged_out', 'second=upstream_unreachable', 'third=continued']);
    // The slow first target's call was aborted, not left running.
    expect(slow.calls[0]!.signal.aborted).toBe(true);
  });

  it('stops, without trying more targets, once the stream cannot reach the gateway; the upstream call is aborted', async () => {
    let aborted = false;
    const endless: ChatProvider = {
      id: 'first',
      generate: () => Promise.reject(new Error('not used')),
      async *stream(call) {
        call.signal.addEventListener('abort', () => (aborted = true));
        yield* start;
        yield { type: 'text-start', id: 'a' };
        for (let index = 0; ; index++) {
          yield { type: 'text-delta', id: 'a', delta: ` w${index}` };
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
      listModels: async () => [],
    };
    const second = provider('second', [...start, ...text('b', 'x'), finish], { prefill: true });
    await runWith(context({ failReplyAfter: 1 }), endless, second);
    expect(second.calls).toHaveLength(0);
    expect(aborted).toBe(true);
  });

  it('ends a job quietly when a whole answer cannot be sent', async () => {
    const whole: ChatProvider = {
      id: 'first',
      generate: async () => ({ content: [{ type: 'text', text: 'hi' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: null, warnings: [], response: { modelId: 'm' } }),
      stream: () => {
        throw new Error('not used');
      },
      listModels: async () => [],
    };
    const second = provider('second', []);
    // Resolves (a job that threw would fail the test here) without asking the next target.
    await runWith(context({ stream: false, failReplyAfter: 0 }), whole, second);
    expect(second.calls).toHaveLength(0);
  });
});

describe('anthropicAcceptsPrefill', () => {
  it.each([
    ['claude-3-5-sonnet-20241022', true],
    ['claude-3-opus-20240229', true],
    ['claude-sonnet-4-5-20250929', true],
    ['claude-opus-4-1', true],
    ['claude-sonnet-4-20250514', true],
    ['claude-opus-4-6', false],
    ['claude-sonnet-4-6-20260217', false],
    ['claude-opus-4-7', false],
    ['claude-sonnet-5', false],
    ['sim-small', true],
  ])('%s → %s', (model, accepts) => {
    expect(anthropicAcceptsPrefill(model)).toBe(accepts);
  });
});
