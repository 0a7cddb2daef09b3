import type { RateLimitBucket, RateLimitStore, Usage } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The tokens one admitted chat request reserved from its token buckets, until it ends. `settle`
 * replaces the estimate with what the provider reported — input plus output tokens — in one atomic
 * store call: a refund gives back the unused part (never past full), an overrun takes the excess (the
 * bucket may go into debt, so later requests wait). A request that ends without reported usage
 * (failed, cancelled, refused by a later stage, or a provider that reports none) gives everything
 * back: nothing says it consumed tokens, and the request limits still counted it.
 *
 * Settled once (later calls do nothing), never awaited by the answer, errors logged and not thrown.
 */
export class TokenReservation {
  private settled = false;

  constructor(
    private readonly store: RateLimitStore,
    /** The request's token buckets (what the estimate was taken from). */
    readonly buckets: readonly RateLimitBucket[],
    readonly estimate: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Bound, so it can be handed around as a callback. */
  readonly settle = (usage: Usage | null): void => {
    if (this.settled) return;
    this.settled = true;
    const reported = usage === null ? 0 : usage.inputTokens + usage.outputTokens;
    const change = this.estimate - reported;
    if (change === 0 || !Number.isSafeInteger(change)) return;
    this.store.settle(this.buckets, change).catch((error: unknown) => this.log.warn({ err: error, tokens: change }, 'rate-limit token settlement failed: the token buckets keep the estimate'));
  };
}
