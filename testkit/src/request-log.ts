import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatedApi, SimulatedRequestRecord } from './simulated-provider-types.js';

const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RECORDS = 10_000;

/** The live request log plus change notification, so `waitFor` reacts without polling. */
export class RequestLog {
  /** The array handed to callers as `requests`; cleared in place so references stay valid. */
  readonly records: SimulatedRequestRecord[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly maxRecords: number = DEFAULT_MAX_RECORDS) {}

  create(api: SimulatedApi, path: string, headers: IncomingHttpHeaders): SimulatedRequestRecord {
    const record: SimulatedRequestRecord = {
      id: this.nextId++,
      api,
      path,
      model: null,
      stream: false,
      body: null,
      headers: flattenHeaders(headers),
      startedAt: Date.now(),
      endedAt: null,
      outcome: 'in_progress',
      fault: null,
      tokensSent: 0,
      status: null,
    };
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    this.changed();
    return record;
  }

  /** Call after mutating a record. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Empties the log and restarts ids at 1, so tests after a reset see the same ids as a fresh server. */
  clear(): void {
    this.records.length = 0;
    this.nextId = 1;
    this.changed();
  }

  waitFor(
    predicate: (records: SimulatedRequestRecord[]) => boolean,
    timeoutMs: number = DEFAULT_WAIT_TIMEOUT_MS,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        let satisfied: boolean;
        try {
          satisfied = predicate(this.records);
        } catch (error) {
          finish();
          reject(error as Error);
          return true;
        }
        if (satisfied) {
          finish();
          resolve();
        }
        return satisfied;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`waitFor timed out after ${timeoutMs} ms; requests: ${this.summary()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => void check();
      this.listeners.add(listener);
      check();
    });
  }

  private summary(): string {
    if (this.records.length === 0) return 'none';
    return this.records
      .map((record) => `#${record.id} ${record.api} ${record.path} ${record.model ?? '-'} ${record.outcome}${record.fault ? `(${record.fault})` : ''}`)
      .join('; ');
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
