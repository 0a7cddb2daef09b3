import type { ChatReply, JobProducer } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { ReplyStream } from './reply-stream.js';

function fakeProducer() {
  const handlers = new Map<string, (reply: ChatReply) => void>();
  const producer = {
    onReply: (_queue: string, jobId: string, handler: (reply: ChatReply) => void) => {
      handlers.set(jobId, handler);
      return () => handlers.delete(jobId);
    },
  } as unknown as JobProducer;
  return { producer, send: (reply: ChatReply) => handlers.get(reply.jobId)?.(reply), handlers };
}

describe('ReplyStream', () => {
  it('delivers replies in order, buffered or awaited', async () => {
    const { producer, send } = fakeProducer();
    const stream = new ReplyStream(producer, 'j1', Date.now() + 5000);
    send({ kind: 'stream', jobId: 'j1', seq: 0, start: { servedBy: { provider: 'p', model: 'm', upstreamMs: 1 }, attempts: [] }, parts: [] });
    expect(await stream.next()).toMatchObject({ seq: 0, start: {} });
    const pending = stream.next();
    send({ kind: 'stream', jobId: 'j1', seq: 1, parts: [], end: true });
    expect(await pending).toMatchObject({ seq: 1, end: true });
    stream.close();
  });

  it('fails with reply_lost when a message is skipped, so a gap never looks like the end', async () => {
    const { producer, send } = fakeProducer();
    const stream = new ReplyStream(producer, 'j2', Date.now() + 5000);
    send({ kind: 'stream', jobId: 'j2', seq: 0, start: { servedBy: { provider: 'p', model: 'm', upstreamMs: 1 }, attempts: [] }, parts: [] });
    send({ kind: 'stream', jobId: 'j2', seq: 2, parts: [], end: true });
    await stream.next();
    await expect(stream.next()).rejects.toMatchObject({ code: 'reply_lost' });
    stream.close();
  });

  it('fails with deadline_exceeded when nothing arrives in time, and unsubscribes on close', async () => {
    const { producer, handlers } = fakeProducer();
    const stream = new ReplyStream(producer, 'j3', Date.now() + 30);
    await expect(stream.next()).rejects.toMatchObject({ code: 'deadline_exceeded', status: 504 });
    stream.close();
    expect(handlers.has('j3')).toBe(false);
  });
});
