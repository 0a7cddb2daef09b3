import { advanceCanary, EMPTY_BLUE_GREEN, type BlueGreenState, type ControlChanges, type DeploymentStore, type ScalingState } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

/** Options of {@link DeploymentView}. */
export interface DeploymentViewOptions {
  store: DeploymentStore;
  changes: ControlChanges;
  logger: FastifyBaseLogger;
  /** Largest random delay added before trying a due promotion step, so gateways do not all race at once. @defaultValue 200 */
  stepJitterMs?: number;
  /** First delay before reading the state again after a failed read; it doubles per failure up to 30 s. @defaultValue 1000 */
  retryMs?: number;
}

/** Longest wait between two reads of a store that keeps failing. */
const MAX_RETRY_MS = 30_000;

/**
 * This gateway's copy of the deployment state (blue/green weights, scaling), read at start and again
 * on every `deployment` change notification: the chat path, /readyz and /metrics read the copy, never
 * the store. It also carries a gradual promotion forward: when a step is due, every gateway holding the
 * state tries to apply it, and the store's compare-and-set lets exactly one of them write it (the
 * others find it no longer due); whichever gateways are up continue it.
 */
export class DeploymentView {
  private state: BlueGreenState = EMPTY_BLUE_GREEN;
  private scalingState: ScalingState | null = null;
  private readonly listeners = new Set<(state: BlueGreenState) => void>();
  private unsubscribe: (() => void) | undefined;
  private stepTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** The last step attempt failed (store unreachable): the next waits at least a second. */
  private stepFailed = false;
  /** Reads that failed in a row; a retry is scheduled with a delay growing with it. */
  private readFailures = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DeploymentViewOptions) {}

  /** The blue/green state as last read. */
  get blueGreen(): BlueGreenState {
    return this.state;
  }

  /** What `Scale` stored, as last read. */
  get scaling(): ScalingState | null {
    return this.scalingState;
  }

  /** Reads the state and follows its changes. A store that cannot be read now is read again with back-off (and at the next notification). */
  async start(): Promise<void> {
    this.unsubscribe = this.options.changes.subscribe((topic) => {
      if (topic === 'deployment') void this.refresh();
    });
    await this.refresh();
  }

  /** Calls `listener` after every refresh that read the blue/green state. */
  onChange(listener: (state: BlueGreenState) => void): void {
    this.listeners.add(listener);
  }

  /** Re-reads the state now (writers call it after storing, so their own answer reflects the change). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.read();
      } while (this.again && !this.closed);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async read(): Promise<void> {
    try {
      const [state, scaling] = await Promise.all([this.options.store.blueGreen(), this.options.store.scaling()]);
      if (this.closed) return;
      this.state = state;
      this.scalingState = scaling;
      this.readFailures = 0;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    } catch (error) {
      if (this.closed) return;
      this.readFailures++;
      this.options.logger.warn({ err: error, failures: this.readFailures }, 'could not read the deployment state; keeping the last one read and trying again');
      this.scheduleRetry();
      return;
    }
    this.scheduleStep();
    for (const listener of [...this.listeners]) {
      try {
        listener(this.state);
      } catch (error) {
        this.options.logger.error({ err: error }, 'a deployment-state listener failed');
      }
    }
  }

  /**
   * After a failed read, reads again with back-off (1 s, 2 s, 4 s … 30 s), whatever the last known state
   * says: without it a promotion whose step and following read both failed would stall for good (no step
   * timer is set from a failed read), and a change whose notification was missed would wait for the next
   * one. A successful read schedules the due step again.
   */
  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    const delay = Math.min(MAX_RETRY_MS, (this.options.retryMs ?? 1000) * 2 ** (this.readFailures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, delay);
    this.retryTimer.unref();
  }

  private scheduleStep(): void {
    clearTimeout(this.stepTimer);
    this.stepTimer = undefined;
    const canary = this.state.canary;
    if (!canary || this.closed) return;
    const jitter = Math.random() * (this.options.stepJitterMs ?? 200);
    const due = Math.max(this.stepFailed ? 1000 : 0, canary.nextStepAt - Date.now());
    this.stepTimer = setTimeout(() => void this.step(), due + jitter);
    this.stepTimer.unref();
  }

  /** Tries the due step; the gateway that writes it tells the others. */
  private async step(): Promise<void> {
    try {
      const update = await this.options.store.updateBlueGreen((current) => advanceCanary(current, Date.now()));
      this.stepFailed = false;
      if (update.written) {
        this.options.logger.info({ version: update.after.canary?.version ?? update.after.active, weights: update.after.weights }, 'promotion step applied');
        await this.options.changes.publish('deployment');
      }
    } catch (error) {
      this.stepFailed = true;
      this.options.logger.warn({ err: error }, 'could not advance the promotion; trying again shortly');
    }
    // Written or not, the state is read again: a notification may have been lost, and the next step needs scheduling.
    await this.refresh();
  }

  /** Stops following changes and promotion steps. Idempotent. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    clearTimeout(this.stepTimer);
    clearTimeout(this.retryTimer);
    this.listeners.clear();
  }
}
