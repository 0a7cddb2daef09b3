import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiKeyRecord } from '../../contracts/governance/api-keys.js';
import type { KeyStore } from '../../contracts/governance/key-store.js';

export interface InMemoryKeyStoreOptions {
  /**
   * JSON file the keys are persisted to (the embedded default: `<AILB_DATA_DIR>/keys.json`), read at
   * construction and rewritten atomically (temporary file + rename) after every change, so a restart
   * keeps the keys. @defaultValue none: keys live as long as the process
   */
  file?: string;
}

/** The file's shape; versioned so a later layout can still read it. */
interface KeysFile {
  version: 1;
  keys: ApiKeyRecord[];
}

/**
 * The API keys of the embedded default: in this process (the whole deployment), persisted to a JSON
 * file holding only hashes. Writes are synchronous, so `put` has persisted when it resolves and a
 * crash right after cannot lose an acknowledged key.
 */
export class InMemoryKeyStore implements KeyStore {
  private readonly byId = new Map<string, ApiKeyRecord>();
  private readonly idByHash = new Map<string, string>();

  constructor(private readonly options: InMemoryKeyStoreOptions = {}) {
    if (options.file === undefined) return;
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read the API keys in ${options.file}: ${(error as Error).message}`);
    }
    let parsed: KeysFile;
    try {
      parsed = JSON.parse(text) as KeysFile;
    } catch (error) {
      throw new Error(`${options.file} is not valid JSON (API keys): ${(error as Error).message}`);
    }
    if (parsed.version !== 1 || !Array.isArray(parsed.keys)) throw new Error(`${options.file}: not an AILB keys file (version 1)`);
    for (const record of parsed.keys) this.index(record);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.byId.values()].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)).map((record) => structuredClone(record));
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const record = this.byId.get(id);
    return record && structuredClone(record);
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const id = this.idByHash.get(hash);
    return id === undefined ? undefined : this.get(id);
  }

  async put(record: ApiKeyRecord): Promise<void> {
    const previous = this.byId.get(record.id);
    if (previous) this.idByHash.delete(previous.hash);
    this.index(structuredClone(record));
    this.persist();
  }

  async close(): Promise<void> {}

  private index(record: ApiKeyRecord): void {
    this.byId.set(record.id, record);
    this.idByHash.set(record.hash, record.id);
  }

  private persist(): void {
    const { file } = this.options;
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    const content: KeysFile = { version: 1, keys: [...this.byId.values()] };
    const temporary = `${file}.${process.pid}.tmp`;
    // Only hashes are written; the mode keeps other local users from reading even those.
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  }
}
