/** The verdict of one readiness condition. `facts` (on success) are reported by /readyz. */
export type ConditionResult = { ready: true; facts?: Record<string, string | number> } | { ready: false; reason: string };

/** One condition; throwing counts as not ready, with the error message as the reason. */
export type ReadinessCondition = () => ConditionResult | Promise<ConditionResult>;

/** The gateway's readiness: every condition ready (facts merged), or the first failing one's reason. */
export type ReadinessResult = { ready: true; facts: Record<string, string | number> } | { ready: false; reason: string; condition: string };

/** Called with each new verdict of a watch: immediately, then whenever readiness flips or the reason changes. */
export type ReadinessListener = (result: ReadinessResult) => void;

/** Options of {@link Readiness}. */
export interface ReadinessOptions {
  /** How often readiness is re-evaluated while someone watches it. @defaultValue 1000 */
  pollMs?: number;
}

/**
 * Whether this gateway can serve, as one ordered list of named conditions (not draining, queue
 * reachable, a live worker, …; other plugins add theirs, such as "this version has traffic weight").
 * `GET /readyz`, gRPC health Check/Watch and the ModuleService health RPCs all read it, so they agree.
 * Conditions are evaluated only when asked or while watched (polling, and on `changed()`), never on
 * the chat path.
 */
export class Readiness {
  private readonly conditions: { name: string; check: ReadinessCondition }[] = [];
  private readonly listeners = new Set<ReadinessListener>();
  private readonly pollMs: number;
  private poller: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private evaluating: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(options: ReadinessOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Adds a condition, evaluated after those added before it. Names are unique. */
  addCondition(name: string, check: ReadinessCondition): void {
    if (this.conditions.some((condition) => condition.name === name)) throw new Error(`readiness condition ${name} is already registered`);
    this.conditions.push({ name, check });
    this.changed();
  }

  /** Evaluates the conditions in order and stops at the first that fails. */
  async check(): Promise<ReadinessResult> {
    const facts: Record<string, string | number> = {};
    for (const { name, check } of this.conditions) {
      let result: ConditionResult;
      try {
        result = await check();
      } catch (error) {
        result = { ready: false, reason: `${name}: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (!result.ready) return { ready: false, reason: result.reason, condition: name };
      Object.assign(facts, result.facts);
    }
    return { ready: true, facts };
  }

  /**
   * A condition's input changed (draining began, a weight was set): watchers get the new verdict now
   * rather than at the next poll.
   */
  changed(): void {
    if (this.listeners.size > 0) void this.evaluate();
  }

  /** Calls `listener` with the current verdict, then with every change, until the returned stop. */
  watch(listener: ReadinessListener): () => void {
    if (this.closed) throw new Error('readiness is closed');
    this.listeners.add(listener);
    // A newcomer needs the current verdict even when nothing changes: evaluate it for this one.
    void this.check().then((result) => {
      if (this.listeners.has(listener)) listener(result);
    });
    if (!this.poller) {
      this.poller = setInterval(() => void this.evaluate(), this.pollMs);
      this.poller.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** Stops polling and drops every watcher. Idempotent. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stopPolling();
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
    this.last = undefined;
  }

  // One evaluation at a time; a request during one runs once more after it, so no change is missed.
  private evaluate(): Promise<void> {
    if (this.evaluating) {
      this.again = true;
      return this.evaluating;
    }
    this.evaluating = (async () => {
      do {
        this.again = false;
        const result = await this.check();
        const key = result.ready ? 'ready' : `not ready: ${result.reason}`;
        if (key === this.last) continue;
        this.last = key;
        for (const listener of [...this.listeners]) listener(result);
      } while (this.again);
    })().finally(() => {
      this.evaluating = undefined;
    });
    return this.evaluating;
  }
}
