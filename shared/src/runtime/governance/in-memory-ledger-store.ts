import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { daysBetween, periodKey, type BudgetPeriod, type LedgerEntry, type LedgerStore, type UsageQuery, type UsageRow } from '../../contracts/governance/ledger.js';
import { ledgerIncrements, rowsOfDay } from './ledger-fields.js';

export interface InMemoryLedgerStoreOptions {
  /** Entries kept, newest first. @defaultValue 10000 */
  maxEntries?: number;
  /**
   * JSON file the ledger is persisted to (the embedded default: `<AILB_DATA_DIR>/ledger.json`): read
   * at construction, rewritten atomically (temporary file + rename) at most every `persistMs` while
   * entries arrive, and on close. @defaultValue none: the ledger lives as long as the process
   */
  file?: string;
  /** Longest time a recorded entry waits before it is written to `file`. @defaultValue 2000 */
  persistMs?: number;
  /** Told when writing `file` failed (nobody awaits that write); the next entries try again. @defaultValue a process warning */
  onPersistError?: (error: Error) => void;
}

/** The file's shape; versioned so a later layout can still read it. */
interface LedgerFile {
  version: 1;
  days: Record<string, Record<string, number>>;
  spends: Record<string, Record<string, number>>;
  /** Oldest first. */
  entries: LedgerEntry[];
}

const toRecord = (buckets: Map<string, Map<string, number>>): Record<string, Record<string, number>> => Object.fromEntries([...buckets].map(([bucket, hash]) => [bucket, Object.fromEntries(hash)]));
const toMap = (buckets: Record<string, Record<string, number>>): Map<string, Map<string, number>> => new Map(Object.entries(buckets).map(([bucket, hash]) => [bucket, new Map(Object.entries(hash))]));

/**
 * The ledger of the embedded default, in this process (the whole deployment); the same layout as
 * the Redis store (see ledger-fields.ts). With `file`, a restart keeps it: the aggregates and the
 * newest entries are written as one snapshot shortly after they change (a crash loses at most the
 * last `persistMs`), never on a request's path — the write is asynchronous and off the event loop.
 */
export class InMemoryLedgerStore implements LedgerStore {
  private days = new Map<string, Map<string, number>>();
  private spends = new Map<string, Map<string, number>>();
  /** Oldest first; trimmed to `maxEntries` in batches, so recording never copies the whole list. */
  private entries: LedgerEntry[] = [];
  private readonly maxEntries: number;
  private persistTimer: NodeJS.Timeout | undefined;
  private folderMade = false;
  private persisting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: InMemoryLedgerStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    if (options.file !== undefined) this.load(options.file);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read the cost ledger in ${file}: ${(error as Error).message}`);
    }
    let parsed: LedgerFile;
    try {
      parsed = JSON.parse(text) as LedgerFile;
    } catch (error) {
      throw new Error(`${file} is not valid JSON (cost ledger): ${(error as Error).message}`);
    }
    if (parsed.version !== 1 || typeof parsed.days !== 'object' || typeof parsed.spends !== 'object' || !Array.isArray(parsed.entries)) throw new Error(`${file}: not an AILB ledger file (version 1)`);
    this.days = toMap(parsed.days);
    this.spends = toMap(parsed.spends);
    this.entries = parsed.entries.slice(-this.maxEntries);
  }

  async record(entries: readonly LedgerEntry[]): Promise<void> {
    for (const entry of entries) {
      for (const increment of ledgerIncrements(entry)) {
        const buckets = increment.scope === 'day' ? this.days : this.spends;
        let hash = buckets.get(increment.bucket);
        if (hash === undefined) buckets.set(increment.bucket, (hash = new Map()));
        hash.set(increment.field, (hash.get(increment.field) ?? 0) + increment.by);
      }
      // Every field is a primitive: a shallow copy is a full one.
      this.entries.push({ ...entry });
    }
    if (this.entries.length >= 2 * this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    if (this.options.file !== undefined && entries.length > 0 && this.persistTimer === undefined && !this.closed) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = undefined;
        this.persisting = this.persisting.then(() => this.persist());
      }, this.options.persistMs ?? 2000);
      this.persistTimer.unref();
    }
  }

  private snapshot(): string {
    const file: LedgerFile = { version: 1, days: toRecord(this.days), spends: toRecord(this.spends), entries: this.entries.slice(-this.maxEntries) };
    return JSON.stringify(file);
  }

  /** Writes the snapshot to a temporary file and renames it over the ledger file (never half a file). */
  private async persist(): Promise<void> {
    const file = this.options.file!;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      // Once per store: the folder is not expected to disappear under a running process.
      if (!this.folderMade) {
        await mkdir(dirname(file), { recursive: true });
        this.folderMade = true;
      }
      await writeFile(temporary, this.snapshot(), { mode: 0o600 });
      await rename(temporary, file);
    } catch (error) {
      const failure = new Error(`writing the cost ledger to ${file} failed: ${(error as Error).message}`);
      if (this.options.onPersistError) this.options.onPersistError(failure);
      else process.emitWarning(failure);
    }
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return daysBetween(query.start, query.end).flatMap((day) => rowsOfDay(day, this.days.get(day) ?? [], query));
  }

  async spend(account: string, period: BudgetPeriod, now: number): Promise<number> {
    return this.spends.get(periodKey(period, now))?.get(account) ?? 0;
  }

  async recent(limit: number): Promise<LedgerEntry[]> {
    const kept = this.entries.slice(-this.maxEntries);
    return kept.slice(Math.max(0, kept.length - Math.max(0, limit))).reverse().map((entry) => ({ ...entry }));
  }

  /** Writes what was recorded since the last write (with `file`). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.persistTimer !== undefined;
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    await this.persisting;
    if (pending && this.options.file !== undefined) {
      mkdirSync(dirname(this.options.file), { recursive: true });
      const temporary = `${this.options.file}.${process.pid}.tmp`;
      writeFileSync(temporary, this.snapshot(), { mode: 0o600 });
      renameSync(temporary, this.options.file);
    }
  }
}
