import { circuitState, GatewayError, targetKey, UNKNOWN_TARGET_HEALTH, type CircuitPolicy, type GatewayState, type PlannedTarget, type TargetHealth } from '@ailb/shared';

/**
 * How long read health is reused unless the state says otherwise: short, since a circuit that
 * reopens after a probe, or closes, should take effect quickly (one that opens is also announced).
 */
export const HEALTH_CACHE_MS = 250;

export interface HealthVerdict {
  /** Admitted targets: probes first, then the healthy ones in the given order. */
  targets: PlannedTarget[];
  /** The admitted targets that are half-open probes (this request holds their probe claim). */
  probes: PlannedTarget[];
  excluded: Array<{ provider: string; model: string; reason: string }>;
}

/**
 * A request refused before anything was sent because health left no target: carries what was left
 * out and why, so the request's routing trace can show it.
 */
export class RoutingRefusal extends GatewayError {
  constructor(
    code: 'rate_limit_exceeded' | 'no_target_available',
    message: string,
    readonly excluded: HealthVerdict['excluded'],
    options: { retryAfterMs: number },
  ) {
    super(code, message, options);
  }

  /** The strategy of the route refused, set by the planner that knows it. */
  strategy: string | undefined;
}

/**
 * The gateway's view of targets' shared health, and the filter applied to a plan before anything is
 * sent. An open circuit is skipped; a half-open one admits a single probe, claimed atomically across
 * gateways and tried first so it actually tests the target; a target at its `max_concurrency` is
 * skipped. When nothing is left the request fails fast — 429 with Retry-After if targets are merely
 * full, 503 with the soonest cooldown end if they are failing — instead of queueing without bound or
 * hammering dead targets.
 */
export class HealthFilter {
  /** Health by key, when it was read, and under which generation (an entry of an older one is stale). */
  private readonly cache = new Map<string, { health: TargetHealth; readAt: number; generation: number }>();
  private reading: Promise<void> | undefined;
  private readonly cacheMs: number;
  /** Counts invalidations, so a read that began before one does not count as fresh. */
  private generation = 0;

  constructor(
    private readonly state: GatewayState,
    private readonly policy: CircuitPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.cacheMs = state.healthCacheMs ?? HEALTH_CACHE_MS;
  }

  /**
   * Marks what was read stale (a circuit opened somewhere): the next request reads health afresh. The
   * values stay, as the last known view if that read fails; a read already under way is stale too.
   */
  invalidate(): void {
    this.generation++;
  }

  /**
   * Health of the keys, from a short cache; a failed read keeps what is known (fail open). Requests
   * arriving while a read is under way wait for it rather than each asking Redis again.
   */
  async read(keys: string[]): Promise<(key: string) => TargetHealth> {
    const isStale = (key: string) => {
      const entry = this.cache.get(key);
      return entry === undefined || entry.generation !== this.generation || entry.readAt + this.cacheMs <= this.now();
    };
    if (this.reading && keys.some(isStale)) await this.reading;
    const stale = keys.filter(isStale);
    if (stale.length > 0) {
      this.reading = this.fetch(stale).finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    return (key) => this.cache.get(key)?.health ?? UNKNOWN_TARGET_HEALTH;
  }

  private async fetch(keys: string[]): Promise<void> {
    const now = this.now();
    const generation = this.generation;
    try {
      const fresh = await this.state.targetHealth(keys, now);
      for (const key of keys) this.cache.set(key, { health: fresh.get(key) ?? UNKNOWN_TARGET_HEALTH, readAt: now, generation });
    } catch {
      // Shared state unavailable: route on the last known view rather than refuse traffic. The keys
      // count as read, so a Redis outage costs one attempt per cache window, not one per request.
      for (const key of keys) this.cache.set(key, { health: this.cache.get(key)?.health ?? UNKNOWN_TARGET_HEALTH, readAt: now, generation });
    }
  }

  /**
   * Filters `ordered` by health. A half-open target is admitted only if this request wins its probe,
   * claimed under `claimId`; admitted probes are marked `probe: true` so the request can give back a
   * claim it did not use (see `releaseUnusedProbes`).
   */
  async apply(ordered: PlannedTarget[], healthOf: (key: string) => TargetHealth, claimId: string): Promise<HealthVerdict> {
    const now = this.now();
    const probes: PlannedTarget[] = [];
    const healthy: PlannedTarget[] = [];
    const excluded: HealthVerdict['excluded'] = [];
    let soonestCooldownEndMs = Number.POSITIVE_INFINITY;
    let saturated = 0;
    const exclude = (target: PlannedTarget, reason: string) => excluded.push({ provider: target.provider, model: target.model, reason });
    const coolingDown = (health: TargetHealth) => {
      soonestCooldownEndMs = Math.min(soonestCooldownEndMs, Math.max(1000, (health.circuit.openedAt ?? now) + this.policy.cooldownMs - now));
    };
    for (const target of ordered) {
      const key = targetKey(target);
      const health = healthOf(key);
      const state = circuitState(health.circuit, this.policy, now);
      if (state === 'open') {
        exclude(target, 'circuit_open');
        coolingDown(health);
      } else if (target.maxConcurrency !== undefined && health.inFlight >= target.maxConcurrency) {
        // Checked before a probe is claimed: a claim the request cannot use would lock the target out.
        exclude(target, 'saturated');
        saturated++;
      } else if (state === 'closed') {
        healthy.push(target);
      } else if (await this.claim(key, claimId)) {
        probes.push({ ...target, probe: true });
      } else {
        exclude(target, 'circuit_probe_in_flight');
        coolingDown(health);
      }
    }
    const targets = [...probes, ...healthy];
    if (targets.length > 0) return { targets, probes, excluded };
    const summary = excluded.map((entry) => `${entry.provider}/${entry.model}: ${entry.reason}`).join(', ');
    if (saturated > 0) {
      throw new RoutingRefusal('rate_limit_exceeded', `Every target of this model is at its concurrency limit (${summary}); retry shortly.`, excluded, {
        retryAfterMs: this.saturationRetryMs(ordered, healthOf),
      });
    }
    throw new RoutingRefusal('no_target_available', `Every target of this model is failing (${summary}); try again later.`, excluded, {
      retryAfterMs: Number.isFinite(soonestCooldownEndMs) ? soonestCooldownEndMs : this.policy.cooldownMs,
    });
  }

  /**
   * When a slot frees up: the queue ahead of this request (in flight beyond capacity, plus one) over
   * the service rate (capacity / typical latency), at least a second.
   */
  private saturationRetryMs(ordered: PlannedTarget[], healthOf: (key: string) => TargetHealth): number {
    let capacity = 0;
    let waiting = 1;
    let latency = 0;
    for (const target of ordered) {
      if (target.maxConcurrency === undefined) continue;
      const health = healthOf(targetKey(target));
      capacity += target.maxConcurrency;
      waiting += Math.max(0, health.inFlight - target.maxConcurrency);
      latency = Math.max(latency, health.latencyEwmaMs ?? 1000);
    }
    const perSecond = capacity / Math.max(latency / 1000, 0.001);
    return Math.max(1000, Math.ceil((waiting / perSecond) * 1000));
  }

  /**
   * Gives back the probe claims of `targets` that no attempt tried (the request failed before
   * dispatch, was cancelled, or was answered by an earlier target), so the circuit does not sit out
   * another cooldown waiting for a probe that never ran. An attempt that did run moved the circuit on
   * (closed it, or re-opened it with a fresh cooldown), which makes its claim irrelevant.
   */
  async releaseUnusedProbes(targets: readonly PlannedTarget[], claimId: string, attempted: ReadonlySet<string>): Promise<void> {
    const unused = targets.filter((target) => target.probe === true && !attempted.has(targetKey(target)));
    await Promise.all(unused.map((target) => this.state.releaseProbe(targetKey(target), claimId).catch(() => undefined)));
  }

  private async claim(key: string, claimId: string): Promise<boolean> {
    try {
      return await this.state.claimProbe(key, claimId, this.policy.cooldownMs);
    } catch {
      return false;
    }
  }
}
