import { DEFAULT_CIRCUIT, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, GatewayError, type ChatJob, type ChatProvider, type JobContext, type ProviderCall, type ReplyBody, type StreamPart } from '@ailb/shared';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { describe, expect, it } from 'vitest';
import { anthropicAcceptsPrefill } from '../providers/anthropic/anthropic-prefill.js';
import { executeChatJob } from './execute-chat-job.js';

/*
 * Continuation of a broken stream, at the unit level: what the continuation is asked, and how its
 * parts join the answer already sent. The end-to-end behaviour (real adapters, both queue drivers) is
 * in standalone/test/stream-continuation.e2e.test.ts.
 */
const finish: StreamPart = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 } };

function context(): JobContext<'chat'> & { sent: ReplyBody[] } {
  const job: ChatJob = {
    version: 2,
    jobId: 'job-1',
    requestId: 'req-1',
    replyTo: 'channel',
    deadlineAt: Date.now() + 10_000,
    enqueuedAt: Date.now(),
    stream: true,
    priority: 'normal',
    call: { specificationVersion: 1, prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    plan: {
      requestedModel: 'm',
      strategy: 'failover',
      targets: ['first', 'second'].map((provider) => ({ provider, model: 'm', timeouts: DEFAULT_TIMEOUTS })),
      retries: { ...DEFAULT_RETRIES, maxAttemptsPerTarget: 1 },
    },
  };
  const sent: ReplyBody[] = [];
  return { job, signal: new AbortController().signal, sent, reply: async (body) => void sent.push(body) };
}

/** A provider streaming `parts`, throwing a reset where `failAt` says; it records the calls it got. */
function provider(id: string, parts: StreamPart[], options: { failAt?: number; prefill?: boolean } = {}): ChatProvider & { calls: ProviderCall[] } {
  const calls: ProviderCall[] = [];
  return {
    id,
    calls,
    generate: () => Promise.reject(new Error('not used')),
    acceptsPrefill: () => options.prefill ?? false,
    async *stream(call) {
      calls.push(call);
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
  const replies = context();
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
