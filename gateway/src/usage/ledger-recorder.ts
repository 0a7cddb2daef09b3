import { SERVING_OUTCOMES, type AttemptRecord, type LedgerEntry, type LedgerStore, type TokenPrice, type Usage } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { attemptCostNanoUsd } from './attempt-cost.js';
import type { BudgetGuard } from './budget-guard.js';

/** What a finished chat request tells the ledger. */
export interface FinishedRequest {
  requestId: string;
  keyId: string | null;
  tenant: string;
  /** The public model asked for. */
  model: string;
  /** Every upstream attempt, in order; the last one served when its outcome is `success`. */
  attempts: readonly AttemptRecord[];
  /** How the request ended (`success` or an error code) and the usage the provider reported. */
  outcome: string;
  usage: Usage | null;
  endedAt: number;
}

export interface LedgerRecorderOptions {
  store: LedgerStore;
  /** The price of one attempt's target (route price, Ollama free, built-in table). */
  priceOf(model: string, provider: string, targetModel: string): Promise<TokenPrice | undefined>;
  budgets: BudgetGuard;
  logger: FastifyBaseLogger;
  /** Told each billed attempt's cost, for the cost metric. */
  onBilled?(entry: LedgerEntry): void;
}

interface Queued {
  request: FinishedRequest;
  resolve(entries: readonly LedgerEntry[]): void;
}

/** A batch larger than this is written at once rather than waiting for the end of the loop turn. */
const MAX_BATCH = 512;

/**
 * Turns finished requests' attempts into ledger entries and writes them after the answers have left:
 * `record` returns at once; the requests finished during one turn of the event loop are priced and
 * written together on the next, in one store call (one MULTI in Redis, whose counters the store sums
 * per field), so under load the ledger costs a fraction of a round trip per request. Failed attempts
 * are recorded as failed with no tokens and cost 0 (so are attempts `hedged_out`); only the serving
 * attempt is billed, with the usage its provider reported (no usage reported: 0 tokens, not a guess).
 */
export class LedgerRecorder {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: LedgerRecorderOptions) {}

  /**
   * Queues a request's attempts; resolves with its priced entries once they are computed (before
   * they are stored; never rejects; `[]` when nothing was attempted).
   */
  record(request: FinishedRequest): Promise<readonly LedgerEntry[]> {
    if (request.attempts.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      if (this.queue.length >= MAX_BATCH) this.writeQueued();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.writeQueued());
      }
    });
  }

  /** Writes what is queued and waits for every write started so far (on close, before the store's connection goes). */
  async flush(): Promise<void> {
    this.writeQueued();
    await Promise.allSettled([...this.pending]);
  }

  private writeQueued(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const write = this.write(batch)
      .catch((error: unknown) => this.options.logger.warn({ err: error, requests: batch.length }, 'writing the cost ledger failed'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  private async write(batch: readonly Queued[]): Promise<void> {
    const prices = new Map<string, Promise<TokenPrice | undefined>>();
    const all: LedgerEntry[] = [];
    for (const queued of batch) {
      let entries: LedgerEntry[] = [];
      try {
        entries = await this.entries(queued.request, prices);
      } catch (error) {
        this.options.logger.warn({ err: error, requestId: queued.request.requestId }, 'pricing a request for the cost ledger failed');
      }
      queued.resolve(entries);
      for (const entry of entries) all.push(entry);
    }
    this.options.budgets.billed(all);
    if (this.options.onBilled) for (const entry of all) if (entry.served) this.options.onBilled(entry);
    await this.options.store.record(all);
  }

  private async entries(request: FinishedRequest, prices: Map<string, Promise<TokenPrice | undefined>>): Promise<LedgerEntry[]> {
    const last = request.attempts.length - 1;
    const entries: LedgerEntry[] = [];
    for (let index = 0; index <= last; index++) {
      const attempt = request.attempts[index]!;
      // The attempt whose output the client got (`success`, or `continued` after a broken stream); a
      // stream that broke and was not rescued is a failed attempt (its provider reported no usage).
      const served = index === last && SERVING_OUTCOMES.has(attempt.outcome);
      const base = { requestId: request.requestId, keyId: request.keyId, tenant: request.tenant, model: request.model, provider: attempt.provider, targetModel: attempt.model, latencyMs: Math.round(attempt.durationMs), at: request.endedAt };
      if (!served) {
        entries.push({ ...base, outcome: attempt.outcome, served: false, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0, unpriced: false });
        continue;
      }
      // One price lookup per target and batch.
      const priceKey = `${request.model}\u0000${attempt.provider}\u0000${attempt.model}`;
      let pricing = prices.get(priceKey);
      if (pricing === undefined) prices.set(priceKey, (pricing = this.options.priceOf(request.model, attempt.provider, attempt.model)));
      const price = await pricing;
      // What the attempt reported (workers list it per attempt); earlier workers: the answer's usage.
      const usage = attempt.usage !== undefined ? attempt.usage : request.usage;
      entries.push({
        ...base,
        // A stream cancelled by the client after it started still served (and may be billed for) what it sent.
        outcome: request.outcome,
        served: true,
        inputTokens: usage?.inputTokens ?? 0,
        cachedInputTokens: usage?.cachedInputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        costNanoUsd: usage && price ? attemptCostNanoUsd(usage, price) : 0,
        unpriced: price === undefined,
      });
    }
    return entries;
  }
}
