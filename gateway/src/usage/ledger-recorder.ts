import type { AttemptRecord, LedgerEntry, LedgerStore, TokenPrice, Usage } from '@ailb/shared';
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
}

/**
 * Turns a finished request's attempts into ledger entries and writes them after the answer has
 * left: `record` returns at once and the write runs on a later turn of the event loop, never on the
 * client's path. Failed attempts are recorded as failed with no tokens and cost 0; only the serving
 * attempt is billed, with the usage its provider reported (no usage reported: 0 tokens, not a guess).
 */
export class LedgerRecorder {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: LedgerRecorderOptions) {}

  record(request: FinishedRequest): void {
    if (request.attempts.length === 0) return;
    const write = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.write(request))
      .catch((error: unknown) => this.options.logger.warn({ err: error, requestId: request.requestId }, 'writing the cost ledger failed'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits for the writes started so far (on close, before the store's connection goes). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async write(request: FinishedRequest): Promise<void> {
    const entries = await this.entries(request);
    this.options.budgets.billed(entries);
    await this.options.store.record(entries);
  }

  private async entries(request: FinishedRequest): Promise<LedgerEntry[]> {
    const last = request.attempts.length - 1;
    return Promise.all(
      request.attempts.map(async (attempt, index): Promise<LedgerEntry> => {
        const served = index === last && attempt.outcome === 'success';
        const base = { requestId: request.requestId, keyId: request.keyId, tenant: request.tenant, model: request.model, provider: attempt.provider, targetModel: attempt.model, latencyMs: Math.round(attempt.durationMs), at: request.endedAt };
        if (!served) return { ...base, outcome: attempt.outcome, served: false, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0, unpriced: false };
        const usage = request.usage;
        const price = await this.options.priceOf(request.model, attempt.provider, attempt.model);
        return {
          ...base,
          // A stream that failed or was cancelled after it started still served (and may be billed for) what it sent.
          outcome: request.outcome,
          served: true,
          inputTokens: usage?.inputTokens ?? 0,
          cachedInputTokens: usage?.cachedInputTokens ?? 0,
          outputTokens: usage?.outputTokens ?? 0,
          costNanoUsd: usage && price ? attemptCostNanoUsd(usage, price) : 0,
          unpriced: price === undefined,
        };
      }),
    );
  }
}
