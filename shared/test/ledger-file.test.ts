import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../src/index.js';
import { InMemoryLedgerStore } from '../src/runtime/index.js';

/*
 * The embedded default's ledger survives a restart: its snapshot file is written shortly after
 * entries arrive and on close, and read back whole (aggregates, spend and the newest entries).
 */
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});
const fileIn = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-ledger-file-'));
  directories.push(directory);
  return join(directory, 'data', 'ledger.json');
};

const AT = Date.parse('2026-05-05T10:00:00Z');
const entry = (requestId: string, costNanoUsd: number): LedgerEntry => ({ requestId, keyId: 'k1', tenant: 'acme', model: 'chat', provider: 'p', targetModel: 'm', outcome: 'success', served: true, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, costNanoUsd, unpriced: false, latencyMs: 3, at: AT });

describe('in-memory ledger persisted to a file', () => {
  it('keeps aggregates, spend and entries across a restart (written on close)', async () => {
    const file = fileIn();
    const first = new InMemoryLedgerStore({ file, persistMs: 60_000 });
    await first.record([entry('r1', 100), entry('r2', 250)]);
    await first.close();
    await first.close();
    const second = new InMemoryLedgerStore({ file });
    expect(await second.spend('k1', 'monthly', AT)).toBe(350);
    expect(await second.spend('tenant:acme', 'daily', AT)).toBe(350);
    expect((await second.usage({ start: '2026-05-05', end: '2026-05-05' }))[0]).toMatchObject({ requests: 2, inputTokens: 20, costNanoUsd: 350 });
    expect((await second.recent(5)).map((kept) => kept.requestId)).toEqual(['r2', 'r1']);
    // Adding after a restart continues the sums.
    await second.record([entry('r3', 1)]);
    await second.close();
    expect(await new InMemoryLedgerStore({ file }).spend('k1', 'daily', AT)).toBe(351);
  });

  it('writes a snapshot shortly after entries arrive, without waiting for close', async () => {
    const file = fileIn();
    const store = new InMemoryLedgerStore({ file, persistMs: 20 });
    await store.record([entry('r1', 7)]);
    await expect.poll(() => { try { return (JSON.parse(readFileSync(file, 'utf8')) as { entries: unknown[] }).entries.length; } catch { return 0; } }, { timeout: 2000 }).toBe(1);
    await store.close();
  });

  it('refuses a file that is not a ledger, naming it', () => {
    const file = fileIn();
    const other = join(file, '..', '..', 'other.json');
    writeFileSync(other, '{"version":2}');
    expect(() => new InMemoryLedgerStore({ file: other })).toThrow(/other\.json: not an AILB ledger file/);
    writeFileSync(other, 'not json');
    expect(() => new InMemoryLedgerStore({ file: other })).toThrow(/other\.json is not valid JSON/);
  });
});
