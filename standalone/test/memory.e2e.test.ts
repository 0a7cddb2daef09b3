import { DEFAULT_TENANT, type MemoryTurn } from '@ailb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedderUnderTest, type EmbedderUnderTest } from './support/embedder-under-test.js';

/*
 * Conversation memory in the embedder over a real Chroma: recall across a long session, isolation of
 * sessions and tenants, deletion, retention by age and by count.
 */

let embedder: EmbedderUnderTest;
beforeAll(async () => {
  embedder = await startEmbedderUnderTest({ knowledge: (config) => ({ ...config, memory: { ...config.memory, maxTurns: 40, ttlSeconds: 3600 } }), sweepMs: 300 });
}, 60_000);
afterAll(() => embedder?.close());

const turn = (user: string, assistant: string, createdAt = Date.now()): MemoryTurn => ({ user, assistant, model: 'sim-small', provider: 'oa', usage: { inputTokens: 5, outputTokens: 7 }, createdAt });
const fillers = [
  ['What is the capital of Portugal?', 'Lisbon.'],
  ['Recommend a sci-fi novel.', 'Try "The Left Hand of Darkness".'],
  ['How do I boil an egg?', 'Boil it for 9 minutes for a firm yolk.'],
  ['What is 17 times 3?', '51.'],
  ['Translate "good morning" into Spanish.', '"Buenos días".'],
  ['Give me a synonym for quick.', 'Rapid.'],
  ['How far is the Moon?', 'About 384,400 km on average.'],
  ['Name a prime number above 100.', '101.'],
  ['What does HTTP 404 mean?', 'Not found.'],
  ['Suggest a name for a goldfish.', 'Bubbles.'],
  ['Which planet is the largest?', 'Jupiter.'],
  ['How many legs does a spider have?', 'Eight.'],
] as const;

/** Remembers turns through the durable queue, one millisecond apart, and waits until all are stored. */
async function remember(tenant: string, sessionId: string, turns: MemoryTurn[]): Promise<void> {
  for (const entry of turns) await embedder.client.remember(tenant, sessionId, entry);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const stored = await embedder.run(tenant, { op: 'session.get', sessionId }).then((session) => session.turns.length, () => 0);
    if (stored >= turns.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${sessionId}: turns were not stored in time`);
}

describe('memory', () => {
  it('recalls a fact from turn 1 when turn 25 asks about it, and keeps it inside its session and tenant', async () => {
    const start = Date.now() - 60_000;
    const turns = [turn('Remember this: my cat is called Biscuit and she is ginger.', 'Got it, Biscuit the ginger cat.', start)];
    for (let index = 0; index < 23; index++) {
      const [user, assistant] = fillers[index % fillers.length]!;
      turns.push(turn(user, assistant, start + 1000 * (index + 1)));
    }
    await remember(DEFAULT_TENANT, 'long-session', turns);
    const session = await embedder.run(DEFAULT_TENANT, { op: 'session.get', sessionId: 'long-session' });
    expect(session.turns).toHaveLength(24);
    expect(session.turns[0]!.user).toContain('Biscuit');
    expect(session.turns.map((stored) => stored.createdAt)).toEqual([...session.turns.map((stored) => stored.createdAt)].sort((left, right) => left - right));

    const ask = (tenant: string, sessionId: string) =>
      embedder.client.retrieveContext(tenant, { query: 'What was the name of my cat again?', memory: { sessionId, recentTurns: 4, maxTokens: 1000 } }, 10_000);
    const recalled = (await ask(DEFAULT_TENANT, 'long-session')).memory!.turns;
    expect(recalled.some((entry) => entry.user.includes('Biscuit'))).toBe(true);
    // The latest turns come too, oldest first, within the budget.
    expect(recalled.at(-1)!.user).toBe(turns.at(-1)!.user);
    expect(recalled.map((entry) => entry.createdAt)).toEqual([...recalled.map((entry) => entry.createdAt)].sort((left, right) => left - right));

    await remember(DEFAULT_TENANT, 'other-session', [turn('I like tea.', 'Tea it is.')]);
    expect(JSON.stringify((await ask(DEFAULT_TENANT, 'other-session')).memory)).not.toContain('Biscuit');
    expect((await ask('tenant-b', 'long-session')).memory!.turns).toEqual([]);
    await expect(embedder.run('tenant-b', { op: 'session.get', sessionId: 'long-session' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  }, 60_000);

  it('fits the recalled turns into the token budget', async () => {
    const long = 'word '.repeat(300);
    const now = Date.now();
    await remember(DEFAULT_TENANT, 'budget', [turn(`${long} first`, 'ok', now - 3), turn(`${long} second`, 'ok', now - 2), turn(`${long} third`, 'ok', now - 1)]);
    const { memory } = await embedder.client.retrieveContext(DEFAULT_TENANT, { query: 'next', memory: { sessionId: 'budget', recentTurns: 3, maxTokens: 700 } }, 10_000);
    expect(memory!.turns.map((entry) => entry.user.split(' ').at(-1))).toEqual(['second', 'third']);
  }, 30_000);

  it('deletes a session, turns and vectors, and says 404 the second time', async () => {
    await remember(DEFAULT_TENANT, 'to-delete', [turn('Secret code is 4711.', 'Noted.')]);
    expect(await embedder.run(DEFAULT_TENANT, { op: 'session.delete', sessionId: 'to-delete' })).toEqual({ sessionId: 'to-delete', deletedTurns: 1 });
    await expect(embedder.run(DEFAULT_TENANT, { op: 'session.delete', sessionId: 'to-delete' })).rejects.toMatchObject({ code: 'not_found' });
    const { memory } = await embedder.client.retrieveContext(DEFAULT_TENANT, { query: 'What is the secret code?', memory: { sessionId: 'to-delete', recentTurns: 4, maxTokens: 1000 } }, 10_000);
    expect(memory!.turns).toEqual([]);
  }, 30_000);

  it('forgets turns older than the retention and keeps at most max_turns per session', async () => {
    // The sweep runs every 300 ms here: a turn two hours old (the retention is one hour) goes, a new one stays.
    await remember(DEFAULT_TENANT, 'old', [turn('A new remark.', 'New answer.')]);
    await embedder.client.remember(DEFAULT_TENANT, 'old', turn('An old remark.', 'Old answer.', Date.now() - 2 * 3600 * 1000));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const users = (await embedder.run(DEFAULT_TENANT, { op: 'session.get', sessionId: 'old' })).turns.map((entry) => entry.user);
    expect(users).toEqual(['A new remark.']);

    const many = Array.from({ length: 45 }, (_, index) => turn(`remark ${index}`, 'ok', Date.now() - 1000 + index));
    for (const entry of many) await embedder.client.remember(DEFAULT_TENANT, 'capped', entry);
    const stored = async () => (await embedder.run(DEFAULT_TENANT, { op: 'session.get', sessionId: 'capped' }).catch(() => ({ turns: [] }))).turns;
    const until = Date.now() + 30_000;
    // Each write trims its session after adding: wait for the last write's trim, not only its add.
    const settled = (turns: MemoryTurn[]) => turns.at(-1)?.user === 'remark 44' && turns.length <= 40;
    while (Date.now() < until && !settled(await stored())) await new Promise((resolve) => setTimeout(resolve, 100));
    const kept = await stored();
    expect(kept).toHaveLength(40);
    expect(kept[0]!.user).toBe('remark 5');
  }, 60_000);
});
